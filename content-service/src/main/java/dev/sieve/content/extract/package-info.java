/**
 * HTML to text: jsoup extraction, markup guards against hostile pages, chunking.
 *
 * <p>The same extractor feeds training and serving; limits make a poison page cost bounded time.
 */
package dev.sieve.content.extract;
