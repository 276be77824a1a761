/**
 * Text sources: one reader per public dataset, with its license and label rules.
 *
 * <p>Each source states how its labels map to the taxonomy and why.
 */
package dev.sieve.lab.data.texts;
