package dev.sieve.url.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sieve.core.metrics.BinaryMetrics;
import dev.sieve.core.scoring.PlattScaling;
import dev.sieve.url.train.UrlModelTrainer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvalMetricsTest {

  @Test
  void averagePrecisionMatchesAHandComputedRanking() {
    double[] scores = {0.9, 0.8, 0.7, 0.1};
    boolean[] positive = {true, false, true, false};
    // precision at the two positives: 1/1 and 2/3
    assertThat(BinaryMetrics.averagePrecision(scores, positive))
        .isCloseTo((1.0 + 2.0 / 3) / 2, within(1e-12));
    assertThat(BinaryMetrics.averagePrecision(new double[] {0.9, 0.1}, new boolean[] {true, false}))
        .isEqualTo(1.0);
    assertThat(BinaryMetrics.averagePrecision(new double[] {0.5}, new boolean[] {false})).isNaN();
  }

  @Test
  void confusionPrecisionRecallF1() {
    BinaryMetrics.Confusion c =
        BinaryMetrics.confusion(
            new double[] {0.9, 0.8, 0.7, 0.1}, new boolean[] {true, false, true, true}, 0.75);
    assertThat(c.tp()).isEqualTo(1);
    assertThat(c.fp()).isEqualTo(1);
    assertThat(c.fn()).isEqualTo(2);
    assertThat(c.tn()).isEqualTo(0);
    assertThat(c.precision()).isEqualTo(0.5);
    assertThat(c.recall()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(c.f1()).isCloseTo(0.4, within(1e-12));
  }

  @Test
  void maxRecallAtPrecisionScansAllThresholds() {
    double[] scores = {0.9, 0.8, 0.7, 0.6, 0.5};
    boolean[] positive = {true, true, false, true, false};
    assertThat(BinaryMetrics.maxRecallAtPrecision(scores, positive, 1.0))
        .isCloseTo(2.0 / 3, within(1e-12));
    assertThat(BinaryMetrics.maxRecallAtPrecision(scores, positive, 0.75)).isEqualTo(1.0);
  }

  @Test
  void negativeRateAtRecallIsTheCostOfARecallTarget() {
    double[] scores = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
    boolean[] positive = {true, false, true, false, true, false};
    assertThat(BinaryMetrics.negativeRateAtRecall(scores, positive, 0.5))
        .isCloseTo(1.0 / 3, within(1e-12));
    assertThat(BinaryMetrics.negativeRateAtRecall(scores, positive, 1.0))
        .isCloseTo(2.0 / 3, within(1e-12));
    assertThat(BinaryMetrics.negativeRateAtRecall(scores, positive, 0.3)).isEqualTo(0.0);
  }

  @Test
  void plattScalingRecoversAKnownSigmoid() {
    Random random = new Random(3);
    int n = 20_000;
    double[] logits = new double[n];
    boolean[] positive = new boolean[n];
    for (int i = 0; i < n; i++) {
      logits[i] = random.nextGaussian() * 2;
      positive[i] = random.nextDouble() < 1 / (1 + Math.exp(-(0.5 * logits[i] - 1)));
    }
    double[] ab = PlattScaling.fit(logits, positive);
    assertThat(ab[0]).isCloseTo(0.5, within(0.08));
    assertThat(ab[1]).isCloseTo(-1.0, within(0.08));
    double[] calibrated = new double[n];
    double[] raw = new double[n];
    for (int i = 0; i < n; i++) {
      calibrated[i] = 1 / (1 + Math.exp(-(ab[0] * logits[i] + ab[1])));
      raw[i] = 1 / (1 + Math.exp(-logits[i]));
    }
    assertThat(BinaryMetrics.expectedCalibrationError(calibrated, positive, 10)).isLessThan(0.02);
    assertThat(BinaryMetrics.expectedCalibrationError(raw, positive, 10)).isGreaterThan(0.1);
  }

  @Test
  void thresholdRespectsTheBackgroundBudget() {
    // 10 positives scored high, 100 background hosts, 5 of which score as high as positives.
    int n = 110;
    double[] scores = new double[n];
    boolean[] positive = new boolean[n];
    boolean[] background = new boolean[n];
    for (int i = 0; i < 10; i++) {
      scores[i] = 0.9 - i * 0.01;
      positive[i] = true;
    }
    for (int i = 10; i < n; i++) {
      background[i] = true;
      scores[i] = i < 15 ? 0.95 - (i - 10) * 0.02 : 0.2;
    }
    UrlModelTrainer.DevThreshold strict =
        UrlModelTrainer.chooseThreshold(scores, positive, background, 0.02);
    assertThat(strict.backgroundFlagRate()).isLessThanOrEqualTo(0.02);
    assertThat(BinaryMetrics.confusion(scores, positive, strict.threshold()).fp())
        .isLessThanOrEqualTo(2);
    UrlModelTrainer.DevThreshold loose =
        UrlModelTrainer.chooseThreshold(scores, positive, background, 0.10);
    assertThat(loose.recall()).isEqualTo(1.0);
    assertThat(loose.threshold()).isLessThan(strict.threshold());
  }

  @Test
  void backgroundBudgetIsStrictForBlockingCategories() {
    UrlModelTrainer.Options options = UrlModelTrainer.Options.defaults();
    assertThat(options.backgroundBudget("adult")).isEqualTo(0.01);
    assertThat(options.backgroundBudget("self_harm")).isEqualTo(0.01);
    assertThat(options.backgroundBudget("games")).isEqualTo(0.03);
  }

  @Test
  void ut1ExpressionsFlagAdultKeywordsWithDelimiters() {
    Ut1ExpressionBaseline ut1 = Ut1ExpressionBaseline.load();
    assertThat(ut1.size()).isEqualTo(2);
    assertThat(ut1.matches("www.free-porn.com/")).isTrue();
    assertThat(ut1.matches("hardcoretube.net/")).isTrue();
    assertThat(ut1.matches("sussex.ac.uk/")).isFalse();
    assertThat(ut1.matches("www.khanacademy.org/")).isFalse();
  }
}
