/**
 * Mapping of source labels to taxonomy v1 categories.
 *
 * <p>The mapping is data (data/mapping), reviewed like code.
 */
package dev.sieve.lab.data.mapping;
