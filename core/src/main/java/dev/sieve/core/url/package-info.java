/**
 * URL normalization (Guava public suffixes, IDN) and the precise rejections of malformed URLs.
 *
 * <p>The normalized form is the cache key and the feature input, so it must be the same everywhere.
 */
package dev.sieve.core.url;
