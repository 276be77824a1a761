package dev.sieve.eval.report;

import java.util.List;
import java.util.Map;

/**
 * How often ordinary sites (background items, label scope "*") are blocked: the number a school
 * feels first.
 *
 * @param backgroundExamples background items in the split
 * @param blockRate share blocked by any blocking category (default action BLOCK or ALERT)
 * @param flagRateByCategory share flagged per category
 * @param topBlocked highest-scoring blocked background items
 */
public record OverBlocking(
    long backgroundExamples,
    Estimate blockRate,
    Map<String, Double> flagRateByCategory,
    List<ErrorExample> topBlocked) {}
