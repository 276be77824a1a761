package dev.sieve.eval.report;

import java.util.List;

/**
 * Category-by-category confusion: for the items truly in row category {@code r}, how many were
 * flagged in column category {@code c} (the diagonal is the true positives; the last column,
 * "none", counts items flagged in no category). Multi-label items count once per true label.
 *
 * @param rows true categories with at least one positive in the split
 * @param columns scored categories then "none"
 * @param counts counts[row][column]
 * @param rowTotals positives per row category
 */
public record ConfusionMatrix(
    List<String> rows, List<String> columns, long[][] counts, long[] rowTotals) {}
