package dev.sieve.lab.data.texts;

/**
 * Fleiss' kappa (Fleiss 1971) for items rated by several annotators into k categories, overall and
 * per category, allowing a different number of raters per item (Davidson tweets have 3 to 9).
 *
 * <p>With {@code n_ij} raters putting item i in category j and {@code n_i} raters of item i: {@code
 * P_i = sum_j n_ij (n_ij - 1) / (n_i (n_i - 1))}, {@code P_bar} the mean of {@code P_i}, {@code p_j
 * = sum_i n_ij / sum_i n_i}, {@code P_e = sum_j p_j^2} and {@code kappa = (P_bar - P_e) / (1 -
 * P_e)}. Per category (Fleiss 1971, eq. for kappa_j), {@code kappa_j = 1 - sum_i n_ij (n_i - n_ij)
 * / (sum_i n_i (n_i - 1) p_j (1 - p_j))}; with a constant n this is exactly Fleiss' formula. Items
 * with fewer than two raters are skipped.
 */
public final class FleissKappa {

  /** The result: overall kappa, per-category kappa, observed and expected agreement. */
  public record Result(
      double kappa, double[] perCategory, double observed, double expected, int items) {}

  private FleissKappa() {}

  /**
   * @param counts counts[i][j] = number of raters who put item i in category j
   */
  public static Result compute(int[][] counts) {
    if (counts.length == 0) {
      throw new IllegalArgumentException("no items");
    }
    int k = counts[0].length;
    double sumPi = 0;
    double totalRatings = 0;
    double[] categoryTotals = new double[k];
    double[] disagreement = new double[k];
    double pairs = 0;
    int items = 0;
    for (int[] row : counts) {
      if (row.length != k) {
        throw new IllegalArgumentException("every item needs " + k + " category counts");
      }
      int n = 0;
      for (int c : row) {
        if (c < 0) {
          throw new IllegalArgumentException("negative count");
        }
        n += c;
      }
      if (n < 2) {
        continue;
      }
      items++;
      double agree = 0;
      for (int j = 0; j < k; j++) {
        agree += (double) row[j] * (row[j] - 1);
        categoryTotals[j] += row[j];
        disagreement[j] += (double) row[j] * (n - row[j]);
      }
      sumPi += agree / ((double) n * (n - 1));
      totalRatings += n;
      pairs += (double) n * (n - 1);
    }
    if (items == 0) {
      throw new IllegalArgumentException("no item has two or more raters");
    }
    double pBar = sumPi / items;
    double pE = 0;
    double[] perCategory = new double[k];
    for (int j = 0; j < k; j++) {
      double pj = categoryTotals[j] / totalRatings;
      pE += pj * pj;
      double denom = pairs * pj * (1 - pj);
      perCategory[j] = denom == 0 ? Double.NaN : 1 - disagreement[j] / denom;
    }
    double kappa = pE == 1 ? Double.NaN : (pBar - pE) / (1 - pE);
    return new Result(kappa, perCategory, pBar, pE, items);
  }
}
