package dev.sieve.eval.policy;

/**
 * Floors and ceilings one category must meet, on the gate's split, at the thresholds chosen on dev.
 *
 * @param minRecall recall floor (e.g. 0.85 for adult)
 * @param minPrecision precision floor
 * @param minAuprc AUPRC floor
 * @param maxBackgroundFlagRate ceiling on the share of ordinary sites flagged
 * @param insufficientData "warn" or "fail" when this category cannot be measured (overrides the
 *     gate-wide setting)
 */
public record GateCategoryRule(
    Double minRecall,
    Double minPrecision,
    Double minAuprc,
    Double maxBackgroundFlagRate,
    String insufficientData) {}
