package dev.sieve.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Hand-computed values for every metric, including the edge cases cards must not lie about. */
class MetricsTest {

  private static GroupCounts counts(double[] s, int... labels) {
    boolean[] y = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      y[i] = labels[i] == 1;
    }
    return RankedCategory.of(s, y).counts();
  }

  @Test
  void precisionRecallF1AtThreshold() {
    GroupCounts gc = counts(new double[] {0.9, 0.8, 0.7, 0.6}, 1, 0, 1, 0);
    Confusion c = gc.at(0.75); // flags 0.9 (pos) and 0.8 (neg)
    assertThat(c).isEqualTo(new Confusion(1, 1, 1, 1, 0, 0));
    assertThat(c.precision()).isEqualTo(0.5);
    assertThat(c.recall()).isEqualTo(0.5);
    assertThat(c.f1()).isEqualTo(0.5);
    Confusion all = gc.at(0.6); // >= is inclusive
    assertThat(all.tp()).isEqualTo(2);
    assertThat(all.precision()).isEqualTo(0.5);
    assertThat(all.recall()).isEqualTo(1.0);
    assertThat(all.f1()).isCloseTo(2.0 / 3, within(1e-12));
  }

  @Test
  void nothingFlaggedLeavesPrecisionUndefinedNotZero() {
    Confusion c = counts(new double[] {0.9, 0.8, 0.7, 0.6}, 1, 0, 1, 0).at(0.95);
    assertThat(c.precision()).isNaN();
    assertThat(c.recall()).isEqualTo(0.0);
    assertThat(c.f1()).isEqualTo(0.0);
  }

  @Test
  void noPositivesLeavesRecallApAurocUndefined() {
    GroupCounts gc = counts(new double[] {0.9, 0.2}, 0, 0);
    assertThat(gc.at(0.5).recall()).isNaN();
    assertThat(gc.at(0.5).precision()).isEqualTo(0.0);
    assertThat(gc.at(0.95).f1()).isNaN(); // no positives and nothing flagged: 0/0
    assertThat(gc.averagePrecision()).isNaN();
    assertThat(gc.auroc()).isNaN();
  }

  @Test
  void allPositives() {
    GroupCounts gc = counts(new double[] {0.9, 0.1, 0.5}, 1, 1, 1);
    assertThat(gc.averagePrecision()).isEqualTo(1.0);
    assertThat(gc.auroc()).isNaN(); // no negatives to rank against
    assertThat(gc.at(0.5).recall()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(gc.at(0.5).precision()).isEqualTo(1.0);
  }

  @Test
  void averagePrecisionAndAurocByHand() {
    GroupCounts gc = counts(new double[] {0.9, 0.8, 0.7, 0.6}, 1, 0, 1, 0);
    // AP = 0.5 * 1 + 0.5 * 2/3
    assertThat(gc.averagePrecision()).isCloseTo(0.5 + 1.0 / 3, within(1e-12));
    // pairs won: (0.9>0.8), (0.9>0.6), (0.7>0.6) = 3 of 4
    assertThat(gc.auroc()).isEqualTo(0.75);
  }

  @Test
  void tiedScoresAreOneGroupWhateverTheirOrder() {
    GroupCounts a = counts(new double[] {0.8, 0.8, 0.5}, 1, 0, 1);
    GroupCounts b = counts(new double[] {0.8, 0.8, 0.5}, 0, 1, 1);
    // AP = 0.5 * (1/2) + 0.5 * (2/3); AUROC = (0.5 + 0) / 2
    for (GroupCounts gc : new GroupCounts[] {a, b}) {
      assertThat(gc.averagePrecision()).isCloseTo(0.25 + 1.0 / 3, within(1e-12));
      assertThat(gc.auroc()).isEqualTo(0.25);
      assertThat(gc.groups()).isEqualTo(2);
    }
    GroupCounts allTied = counts(new double[] {0.3, 0.3, 0.3, 0.3}, 1, 0, 0, 1);
    assertThat(allTied.auroc()).isEqualTo(0.5);
    assertThat(allTied.averagePrecision()).isEqualTo(0.5);
  }

  @Test
  void noOpinionRanksLastAndIsNeverFlagged() {
    GroupCounts gc = counts(new double[] {Double.NaN, 0.4, 0.2}, 1, 0, 0);
    assertThat(gc.at(0.0).tp()).isZero();
    assertThat(gc.at(0.0).fp()).isEqualTo(2);
    assertThat(gc.auroc()).isEqualTo(0.0);
  }

  @Test
  void weightsActAsRepetition() {
    double[] s = {0.9, 0.8, 0.7};
    boolean[] y = {true, false, true};
    RankedCategory r = RankedCategory.of(s, y);
    GroupCounts weighted = r.counts(new int[] {2, 0, 1});
    GroupCounts repeated =
        RankedCategory.of(new double[] {0.9, 0.9, 0.7}, new boolean[] {true, true, true}).counts();
    assertThat(weighted.averagePrecision()).isEqualTo(repeated.averagePrecision());
    assertThat(weighted.at(0.8).tp()).isEqualTo(2);
    assertThat(weighted.at(0.8).fp()).isZero();
  }

  @Test
  void precisionRecallCurveIsThinnedDeterministically() {
    double[] s = new double[1000];
    boolean[] y = new boolean[1000];
    for (int i = 0; i < s.length; i++) {
      s[i] = i / 1000.0;
      y[i] = i % 3 == 0;
    }
    var curve = RankedCategory.of(s, y).counts().precisionRecallCurve(101);
    assertThat(curve).hasSize(101);
    assertThat(curve.get(0).threshold()).isEqualTo(0.999);
    assertThat(curve.get(100).recall()).isEqualTo(1.0);
    assertThat(curve).isEqualTo(RankedCategory.of(s, y).counts().precisionRecallCurve(101));
  }

  @Test
  void reliabilityAndEceByHand() {
    double[] s = {0.05, 0.15, 0.95, 0.85};
    boolean[] y = {false, true, true, true};
    Reliability.Curve c = Reliability.compute(s, y, 10);
    // (|0-.05| + |1-.15| + |1-.85| + |1-.95|) / 4
    assertThat(c.ece()).isCloseTo(0.275, within(1e-12));
    assertThat(c.bins()).hasSize(10);
    assertThat(c.bins().get(1).positiveRate()).isEqualTo(1.0);
    assertThat(c.bins().get(5).count()).isZero();
    assertThat(c.bins().get(5).meanScore()).isNull();
    assertThat(Reliability.ece(new double[] {1.0}, new boolean[] {true}, 10))
        .isEqualTo(0.0); // 1.0 in last bin
    assertThat(Reliability.ece(new double[] {}, new boolean[] {}, 10)).isNaN();
    double[] perfect = {0.25, 0.25, 0.25, 0.25};
    assertThat(Reliability.ece(perfect, new boolean[] {true, false, false, false}, 10))
        .isEqualTo(0.0);
  }

  @Test
  void quantileAndPercentile() {
    assertThat(Bootstrap.quantile(new double[] {1, 2, 3, 4}, 0.5)).isEqualTo(2.5);
    assertThat(Bootstrap.quantile(new double[] {1, 2, 3, 4}, 0.0)).isEqualTo(1.0);
    Bootstrap.Interval i = Bootstrap.percentile(new double[] {Double.NaN, 1, 2, 3, 4}, 0.5);
    assertThat(i.lower()).isEqualTo(1.75);
    assertThat(i.upper()).isEqualTo(3.25);
    assertThat(Bootstrap.percentile(new double[] {Double.NaN, Double.NaN, 1}, 0.95).lower())
        .isNaN();
  }

  @Test
  void bootstrapWeightsAreSeededMultinomials() {
    int[] a = Bootstrap.weights(7, 3, 500);
    int[] b = Bootstrap.weights(7, 3, 500);
    int[] c = Bootstrap.weights(8, 3, 500);
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    assertThat(Arrays.stream(a).sum()).isEqualTo(500);
  }

  @Test
  void wilsonInterval() {
    Bootstrap.Interval i = Wilson.interval(0, 20);
    assertThat(i.lower()).isEqualTo(0.0);
    assertThat(i.upper()).isCloseTo(0.1611, within(1e-4)); // 0 of 20: upper 16.1%
    Bootstrap.Interval half = Wilson.interval(50, 100);
    assertThat(half.lower()).isCloseTo(0.4038, within(1e-4));
    assertThat(half.upper()).isCloseTo(0.5962, within(1e-4));
    assertThat(Wilson.interval(0, 0).lower()).isNaN();
  }

  @Test
  void driftByHand() {
    assertThat(Drift.psi(new long[] {50, 50}, new long[] {50, 50})).isEqualTo(0.0);
    // (0.4-0.6) ln(0.4/0.6) + (0.6-0.4) ln(0.6/0.4) = 0.4 ln 1.5
    assertThat(Drift.psi(new long[] {60, 40}, new long[] {40, 60}))
        .isCloseTo(0.4 * Math.log(1.5), within(1e-12));
    assertThat(Drift.jensenShannon(new long[] {100, 0}, new long[] {0, 100}))
        .isCloseTo(1.0, within(1e-12));
    assertThat(Drift.jensenShannon(new long[] {3, 1}, new long[] {3, 1})).isEqualTo(0.0);
    assertThat(Drift.psi(new long[] {100, 0}, new long[] {0, 100})).isGreaterThan(0.25);
    assertThat(Drift.histogram(new double[] {0.0, 0.5, 1.0, Double.NaN}, 2)).containsExactly(1, 2);
  }
}
