/**
 * Tenant policies: per-category thresholds, actions, domain overrides, on-tier-loss rules; parsing
 * and hot reload.
 *
 * <p>An invalid policy file is rejected with a precise error and the previous policy keeps serving.
 */
package dev.sieve.router.policy;
