/**
 * Category catalogs (config/categories): definitions, examples, hot reload.
 *
 * <p>Emerging categories are added by editing YAML, not code.
 */
package dev.sieve.llm.category;
