/**
 * The data pipeline: raw import, cleaning, label mapping, grouped splits and dataset versions.
 *
 * <p>A fresh clone rebuilds the exact dataset from data/raw; raw files are never edited.
 */
package dev.sieve.lab.data;
