/**
 * Taxonomy v1: the categories, their definitions and default actions.
 *
 * <p>One source of truth for the router, the tiers, the cards and the public ListCategories answer.
 */
package dev.sieve.core.taxonomy;
