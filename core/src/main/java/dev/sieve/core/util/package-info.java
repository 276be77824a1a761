/**
 * Small utilities without a better home: settings lookup, SHA-256, the code commit of a build.
 *
 * <p>Kept tiny on purpose; anything with a concept of its own gets its own package.
 */
package dev.sieve.core.util;
