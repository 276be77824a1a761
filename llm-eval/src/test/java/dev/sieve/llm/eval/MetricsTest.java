package dev.sieve.llm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sieve.core.metrics.BinaryMetrics;
import dev.sieve.llm.embedded.Calibration.Logistic;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void averagePrecisionAndRocAucMatchHandComputedValues() {
    double[] s = {0.9, 0.8, 0.7, 0.6};
    boolean[] y = {true, false, true, false};
    // AP = 0.5 * 1 + 0.5 * (2/3) (scikit-learn's step-wise definition)
    assertThat(BinaryMetrics.averagePrecision(s, y)).isCloseTo(0.5 + 1.0 / 3, within(1e-12));
    assertThat(BinaryMetrics.rocAuc(s, y)).isCloseTo(0.75, within(1e-12));
    // Tied scores are one threshold: AP of a tie between one positive and one negative is 0.5.
    assertThat(BinaryMetrics.averagePrecision(new double[] {0.5, 0.5}, new boolean[] {true, false}))
        .isCloseTo(0.5, within(1e-12));
    assertThat(BinaryMetrics.rocAuc(new double[] {0.5, 0.5}, new boolean[] {true, false}))
        .isCloseTo(0.5, within(1e-12));
    assertThat(BinaryMetrics.averagePrecision(s, new boolean[4])).isNaN();
  }

  @Test
  void thresholdMetricsAndMaxF1Threshold() {
    double[] s = {0.9, 0.8, 0.7, 0.6, 0.1};
    boolean[] y = {true, true, false, true, false};
    ZeroShotEvaluation.AtThreshold at = ZeroShotEvaluation.AtThreshold.of(s, y, 0.65);
    assertThat(at.tp()).isEqualTo(2);
    assertThat(at.fp()).isEqualTo(1);
    assertThat(at.fn()).isEqualTo(1);
    assertThat(at.precision()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(ZeroShotEvaluation.maxF1Threshold(s, y)).isEqualTo(0.6);
    double[] ci = BinaryMetrics.bootstrapApInterval(s, y, 200, 1);
    assertThat(ci[0]).isLessThanOrEqualTo(BinaryMetrics.averagePrecision(s, y));
    assertThat(ci[1]).isGreaterThanOrEqualTo(ci[0]).isLessThanOrEqualTo(1.0);
  }

  @Test
  void plattFitRecoversAKnownLogisticAndStaysNearThePriorOnTinyData() {
    Random random = new Random(7);
    int n = 20_000;
    double[] m = new double[n];
    boolean[] y = new boolean[n];
    Logistic truth = new Logistic(15, -1.5);
    for (int i = 0; i < n; i++) {
      m[i] = random.nextDouble() - 0.5;
      y[i] = random.nextDouble() < truth.apply(m[i]);
    }
    Logistic fit = PlattFitter.fit(m, y, new Logistic(12, -1.2), PlattFitter.DEFAULT_LAMBDA);
    assertThat(fit.a()).isCloseTo(15, within(1.0));
    assertThat(fit.b()).isCloseTo(-1.5, within(0.1));

    double[] tiny = {0.30, 0.25, 0.28, -0.2, -0.1, -0.3, -0.25, 0.0};
    boolean[] tinyY = {true, true, true, false, false, false, false, false};
    Logistic anchored =
        PlattFitter.fit(tiny, tinyY, new Logistic(12, -1.2), PlattFitter.DEFAULT_LAMBDA);
    assertThat(anchored.a()).as("separable data does not blow up the slope").isBetween(5.0, 40.0);
    assertThat(anchored.apply(0.3)).isGreaterThan(anchored.apply(-0.3));
  }
}
