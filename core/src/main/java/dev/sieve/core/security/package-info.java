/**
 * TLS, mTLS between router and tiers, API keys and peer identity.
 *
 * <p>Shared so every process applies the same transport rules.
 */
package dev.sieve.core.security;
