package dev.sieve.router;

import dev.sieve.core.metrics.ScoreBins;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.router.tier.TierName;
import dev.sieve.router.tier.TierOutcome;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code sieve_router_category_score{category, tier}}: the served score distribution per category,
 * for every tier's own score ({@code tier="url" | "content" | "llm"}) and for the merged score the
 * verdict carries ({@code tier="merged"}), over exactly the bins of the model cards' reference
 * histograms ({@link ScoreBins}), so a drift job (and the chart's alert rules) can compare a time
 * window of live traffic with the card bin for bin.
 *
 * <p>Why the Prometheus client's {@link Histogram} and not a Micrometer {@code
 * DistributionSummary}: the summary's service-level buckets on a Prometheus registry count
 * fractional values against whole-number boundaries (measured: six scores between 0.01 and 0.95 all
 * landed in {@code le="1.0"}), which made the old histogram useless for drift. The Prometheus
 * client is the library Micrometer's registry is built on, registered into the same registry the
 * {@code /metrics} endpoint serves; buckets are classic cumulative {@code _bucket{le=...}}
 * counters, no native histogram, so {@code increase(..._bucket[1h])} gives a window's distribution.
 *
 * <p>Each (category, tier) data point is resolved once and cached, so an observation costs a map
 * read and the histogram's own atomic updates.
 */
public final class ScoreHistograms {

  /** The {@code tier} label of the merged (served) score. */
  public static final String MERGED = "merged";

  private static final int SERIES = TierName.values().length + 1;

  private final Histogram histogram;
  private final ConcurrentHashMap<String, DistributionDataPoint[]> points =
      new ConcurrentHashMap<>();

  /**
   * @param registry the Prometheus registry the metrics endpoint serves
   * @param application the {@code application} label every Sieve series carries (Telemetry's common
   *     tag)
   */
  public ScoreHistograms(PrometheusRegistry registry, String application) {
    this.histogram =
        Histogram.builder()
            .name("sieve_router_category_score")
            .help(
                "Served scores per category and tier (merged = the verdict's score), over the model cards' 20 score bins")
            .labelNames("category", "tier")
            .constLabels(Labels.of("application", application))
            .classicUpperBounds(ScoreBins.upperEdges())
            .classicOnly()
            // Exemplars would sample trace ids into the exposition; Micrometer leaves out the
            // client's tracer bridge they need (NoClassDefFoundError on the first observation).
            .withoutExemplars()
            .register(registry);
  }

  /** The merged score of every category of a fresh verdict. */
  public void merged(ClassifyResponse response) {
    for (CategoryVerdict verdict : response.getCategoriesList()) {
      observe(verdict.getCategory(), SERIES - 1, verdict.getScore());
    }
  }

  /** Every score each tier that answered returned. */
  public void tiers(TierOutcome[] outcomes) {
    for (TierOutcome outcome : outcomes) {
      if (outcome == null || outcome.response() == null) {
        continue;
      }
      int series = outcome.tier().ordinal();
      for (CategoryScore score : outcome.response().getScoresList()) {
        observe(score.getCategory(), series, score.getScore());
      }
    }
  }

  private void observe(String category, int series, double score) {
    if (Double.isNaN(score) || Double.isInfinite(score)) {
      return;
    }
    DistributionDataPoint[] row = points.get(category);
    if (row == null) {
      row = points.computeIfAbsent(category, c -> new DistributionDataPoint[SERIES]);
    }
    DistributionDataPoint point = row[series];
    if (point == null) {
      point =
          histogram.labelValues(
              category, series == SERIES - 1 ? MERGED : TierName.values()[series].wireName());
      row[series] = point;
    }
    point.observe(score);
  }
}
