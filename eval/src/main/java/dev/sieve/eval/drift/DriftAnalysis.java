package dev.sieve.eval.drift;

import dev.sieve.core.metrics.ScoreBins;
import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.metrics.Bootstrap;
import dev.sieve.eval.metrics.Drift;
import dev.sieve.eval.metrics.Wilson;
import dev.sieve.eval.report.CategoryResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Live traffic against model cards: per tier and category, PSI and Jensen-Shannon distance of the
 * live score distribution against the card's test-split distribution, and (for the served verdict)
 * the live decision rate against the card's, each with a 95% Wilson interval. The thresholds are
 * the ones docs/operations.md ("Drift") justifies; the chart's alert rules use the same.
 *
 * @param cards the cards compared, each with the tier whose scores it describes
 * @param live the live side
 * @param rows one per (card, category with a reference histogram)
 */
public record DriftAnalysis(List<CardRef> cards, LiveScores live, List<Row> rows) {

  /** PSI from which a category is worth a look. */
  public static final double PSI_WATCH = 0.1;

  /** PSI from which the card no longer describes the traffic. */
  public static final double PSI_ACT = 0.25;

  /**
   * Fewest live scores a PSI is judged on: without drift the expected PSI of n samples over 20 bins
   * is about (bins - 1) / n, 0.038 at 500, so 0.1 is then rarely crossed by chance.
   */
  public static final long MIN_LIVE = 500;

  /** A card and the tier label its scores carry in live data (url, content, llm, merged). */
  public record CardRef(String tier, ModelCard card) {
    public String label() {
      return card.modelDetails().name() + " " + card.modelDetails().version();
    }
  }

  /**
   * One category of one card.
   *
   * @param reference the card's histogram (test split)
   * @param observed the live histogram (zeros when no live score)
   * @param psi population stability index (NaN without live scores)
   * @param jsDistance Jensen-Shannon distance, bits (NaN without live scores)
   * @param cardRate the card's share of positive decisions on its split (null for tier cards)
   * @param liveRate the live share of positive decisions (null for tier cards or no live scores)
   * @param verdict stable / watch / act / too few / no live scores
   */
  public record Row(
      String tier,
      String card,
      String category,
      long[] reference,
      long[] observed,
      long liveN,
      double psi,
      double jsDistance,
      Rate cardRate,
      Rate liveRate,
      String verdict) {

    /** Whether the two decision rates' 95% intervals do not overlap. */
    public boolean rateShifted() {
      return cardRate != null
          && liveRate != null
          && (liveRate.interval().lower() > cardRate.interval().upper()
              || liveRate.interval().upper() < cardRate.interval().lower());
    }
  }

  /** k of n with its 95% Wilson interval. */
  public record Rate(long k, long n, Bootstrap.Interval interval) {
    public double value() {
      return n == 0 ? Double.NaN : (double) k / n;
    }

    static Rate of(long k, long n) {
      return new Rate(k, n, Wilson.interval(k, n));
    }
  }

  /** Compares every card's categories with the live scores of its tier. */
  public static DriftAnalysis of(List<CardRef> cards, LiveScores live) {
    List<Row> rows = new ArrayList<>();
    for (CardRef ref : cards) {
      for (CategoryResult r : ref.card().quantitativeAnalyses().categories()) {
        long[] reference = r.scoreHistogram();
        if (reference == null
            || reference.length != ScoreBins.BINS
            || Arrays.stream(reference).sum() == 0) {
          continue;
        }
        long[] observed = live.histogram(ref.tier(), r.category());
        if (observed == null) {
          observed = new long[ScoreBins.BINS];
        }
        long n = Arrays.stream(observed).sum();
        boolean served = ref.tier().equals(LiveScores.MERGED);
        Rate cardRate = served ? Rate.of(r.tp() + r.fp(), r.tp() + r.fp() + r.fn() + r.tn()) : null;
        Rate liveRate = served && n > 0 ? Rate.of(live.decisions(r.category()), n) : null;
        double psi = n == 0 ? Double.NaN : Drift.psi(reference, observed);
        double js = n == 0 ? Double.NaN : Drift.jensenShannonDistance(reference, observed);
        rows.add(
            new Row(
                ref.tier(),
                ref.label(),
                r.category(),
                reference,
                observed,
                n,
                psi,
                js,
                cardRate,
                liveRate,
                verdict(psi, n)));
      }
    }
    return new DriftAnalysis(List.copyOf(cards), live, List.copyOf(rows));
  }

  static String verdict(double psi, long n) {
    if (n == 0) {
      return "no live scores";
    }
    String level = psi > PSI_ACT ? "act" : psi > PSI_WATCH ? "watch" : "stable";
    return n < MIN_LIVE ? level + " (too few: " + n + " < " + MIN_LIVE + ")" : level;
  }

  /** The largest PSI among rows with enough live scores (NaN when none). */
  public double worstPsi() {
    return rows.stream()
        .filter(r -> r.liveN() >= MIN_LIVE)
        .mapToDouble(Row::psi)
        .max()
        .orElse(Double.NaN);
  }

  /** Input profile lines: input kinds, tier states and errors, as shares of the items. */
  public Map<String, Long> inputs() {
    return live.inputs();
  }
}
