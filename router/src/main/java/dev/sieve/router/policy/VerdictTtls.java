package dev.sieve.router.policy;

/**
 * How long a verdict may be cached, by the router and by the caller.
 *
 * @param positiveSeconds verdicts that block or alert
 * @param negativeSeconds verdicts that allow (negative verdicts are cached too, or the tiers would
 *     see every allowed request again)
 * @param degradedSeconds verdicts produced while a consulted tier was unavailable: short, so that a
 *     fail-closed or fail-open decision is re-evaluated soon after the tier recovers, yet long
 *     enough to keep a storm of identical requests off a struggling tier
 */
public record VerdictTtls(int positiveSeconds, int negativeSeconds, int degradedSeconds) {}
