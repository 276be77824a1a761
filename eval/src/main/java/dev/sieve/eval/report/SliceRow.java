package dev.sieve.eval.report;

/**
 * One value of a slice dimension.
 *
 * @param value slice value (e.g. "ut1/gambling", "com", "tweet", "lgbtq")
 * @param examples items in the slice
 * @param positives items with at least one positive label among the scored categories
 * @param recall pooled recall over the slice's (item, positive category) pairs in scope
 * @param blockRate share of items blocked by any blocking category, with a Wilson 95% interval
 * @param topFlagged the category flagged most often in the slice ("" when none)
 * @param shouldAllow items no blocking category labels positive: what over-blocking is measured on
 * @param overBlockRate share of {@code shouldAllow} items blocked anyway, with a Wilson 95%
 *     interval. For a protected slice this is the number that matters: a phishing host with "gay"
 *     in its name is a member of the LGBTQ+ slice by pattern, and blocking it is right
 */
public record SliceRow(
    String value,
    long examples,
    long positives,
    Double recall,
    Estimate blockRate,
    String topFlagged,
    long shouldAllow,
    Estimate overBlockRate) {}
