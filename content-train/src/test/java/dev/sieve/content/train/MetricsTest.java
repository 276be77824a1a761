package dev.sieve.content.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.sieve.content.model.PlattCalibration;
import dev.sieve.core.metrics.BinaryMetrics;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void averagePrecisionMatchesHandComputation() {
    // Ranked: 1(pos) .9(neg) .8(pos) .1(neg): AP = 1/2*1 + 1/2*2/3
    double ap =
        BinaryMetrics.averagePrecision(
            new double[] {1.0, 0.9, 0.8, 0.1}, BinaryMetrics.positive(new int[] {1, 0, 1, 0}));
    assertThat(ap).isCloseTo(0.5 + 1.0 / 3, offset(1e-9));
    assertThat(BinaryMetrics.averagePrecision(new double[] {0.5, 0.5}, new boolean[] {true, false}))
        .isCloseTo(0.5, offset(1e-9));
    assertThat(BinaryMetrics.averagePrecision(new double[] {0.5}, new boolean[] {false})).isNaN();
  }

  @Test
  void countsAndRates() {
    BinaryMetrics.Confusion c =
        BinaryMetrics.confusion(
            new double[] {0.9, 0.6, 0.4, 0.2}, BinaryMetrics.positive(new int[] {1, 0, 1, 0}), 0.5);
    assertThat(c).isEqualTo(new BinaryMetrics.Confusion(1, 1, 1, 1));
    assertThat(c.precision()).isEqualTo(0.5);
    assertThat(c.recall()).isEqualTo(0.5);
    assertThat(c.f1()).isEqualTo(0.5);
    assertThat(c.falsePositiveRate()).isEqualTo(0.5);
  }

  @Test
  void eceIsZeroForPerfectCalibrationAndPositiveOtherwise() {
    assertThat(
            BinaryMetrics.expectedCalibrationError(
                new double[] {0.0, 1.0}, new boolean[] {false, true}, 10))
        .isZero();
    assertThat(
            BinaryMetrics.expectedCalibrationError(
                new double[] {0.9, 0.9}, new boolean[] {false, false}, 10))
        .isCloseTo(0.9, offset(1e-9));
  }

  @Test
  void plattRecoversAKnownSigmoid() {
    Random random = new Random(1);
    int n = 20_000;
    double[] logits = new double[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      logits[i] = random.nextGaussian() * 3;
      labels[i] = random.nextDouble() < PlattCalibration.sigmoid(0.5 * logits[i] - 1.0) ? 1 : 0;
    }
    PlattCalibration fit = PlattFitter.fit(logits, labels);
    assertThat(fit.a()).isCloseTo(0.5, offset(0.05));
    assertThat(fit.b()).isCloseTo(-1.0, offset(0.1));
    assertThat(PlattFitter.fit(new double[] {1, 2}, new int[] {1, 1}))
        .isEqualTo(PlattCalibration.IDENTITY);
  }

  @Test
  void thresholdRules() {
    double[] scores = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
    int[] labels = {1, 1, 0, 1, 0, 0};
    ContentTrainer.DevThreshold best = ContentTrainer.maxF1(scores, labels);
    assertThat(best.threshold()).isEqualTo(0.6);
    assertThat(best.devCounts().f1()).isCloseTo(6.0 / 7, offset(1e-9));
    ContentTrainer.DevThreshold floor = ContentTrainer.recallFloor(scores, labels, 0.6);
    assertThat(floor.threshold()).isEqualTo(0.8);
    assertThat(floor.rule()).isEqualTo("recall_floor_dev:0.60");
  }

  @Test
  void bootstrapIntervalContainsThePointEstimate() {
    Random random = new Random(3);
    double[] scores = new double[400];
    int[] labels = new int[400];
    for (int i = 0; i < 400; i++) {
      labels[i] = i % 4 == 0 ? 1 : 0;
      scores[i] = labels[i] * 0.4 + random.nextDouble() * 0.6;
    }
    boolean[] positive = BinaryMetrics.positive(labels);
    double f1 = BinaryMetrics.confusion(scores, positive, 0.5).f1();
    double[] ci = BinaryMetrics.bootstrapF1AndAveragePrecision(scores, positive, 0.5, 500, 9);
    assertThat(ci[0]).isLessThanOrEqualTo(f1);
    assertThat(ci[1]).isGreaterThanOrEqualTo(f1);
    assertThat(ci[2]).isLessThanOrEqualTo(ci[3]);
  }
}
