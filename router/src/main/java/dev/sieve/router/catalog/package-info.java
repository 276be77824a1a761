/**
 * The public ListCategories answer: taxonomy categories and emerging ones, with what each does
 * under the caller's policy.
 *
 * <p>Clients program against category ids and their meaning from the API itself, not from a copy of
 * the docs.
 */
package dev.sieve.router.catalog;
