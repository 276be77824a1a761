/**
 * Real HTML pages as a dataset (ordinary pages for background false-positive rates).
 *
 * <p>Pages are measured as served: raw HTML through the same extractor.
 */
package dev.sieve.lab.data.pages;
