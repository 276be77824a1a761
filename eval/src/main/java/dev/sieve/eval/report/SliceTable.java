package dev.sieve.eval.report;

import java.util.List;

/**
 * Per-slice rows of one dimension (source, tld, kind, length, popularity, protected).
 *
 * @param dimension slice dimension
 * @param rows rows, largest first; small tails are pooled as "(other)"
 */
public record SliceTable(String dimension, List<SliceRow> rows) {}
