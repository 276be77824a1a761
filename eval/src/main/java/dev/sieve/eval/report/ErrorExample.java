package dev.sieve.eval.report;

import java.util.List;

/**
 * One misclassified (or flagged) input as a reviewer needs it: what it was, its score, and where
 * its labels came from.
 *
 * @param id example id
 * @param input the host or (truncated) text
 * @param category the category it was flagged for or missed in
 * @param score score in that category
 * @param labels its labels
 * @param sources label provenance (source list ids)
 * @param flags known-noise flags
 */
public record ErrorExample(
    String id,
    String input,
    String category,
    double score,
    List<String> labels,
    List<String> sources,
    List<String> flags) {}
