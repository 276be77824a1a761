package dev.sieve.eval.explain;

import java.util.List;
import java.util.Map;

/**
 * A training example close to the disputed input, with where its labels came from.
 *
 * @param input host or text (truncated)
 * @param similarity 1.0 for the same registered domain, else Jaccard / cosine similarity
 * @param how "same registered domain", "char-3-gram Jaccard", "TF-IDF cosine" or "list entry"
 * @param labels its labels
 * @param scope its label scope
 * @param sources label provenance (source list to what it asserted; text source)
 * @param flags known-noise flags
 * @param split its split
 */
public record Neighbour(
    String input,
    double similarity,
    String how,
    List<String> labels,
    List<String> scope,
    Map<String, List<String>> sources,
    List<String> flags,
    String split) {}
