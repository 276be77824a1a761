/**
 * Tenant authentication: API keys to tenants, per request.
 *
 * <p>A request can only ever get its own tenant's policy.
 */
package dev.sieve.router.auth;
