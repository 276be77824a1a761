package dev.sieve.eval.explain;

/**
 * The category an investigation is about and what went wrong in it.
 *
 * @param category category id ("" when there is nothing to investigate)
 * @param kind "false_positive" (flagged, should not be), "false_negative" (missed, should be
 *     flagged) or "verdict" (no expectation given: explain the primary decision)
 * @param score merged score of the category (NaN when no verdict)
 * @param threshold threshold applied (NaN when no verdict)
 */
public record Focus(String category, String kind, double score, double threshold) {}
