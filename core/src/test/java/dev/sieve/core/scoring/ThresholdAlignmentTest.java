package dev.sieve.core.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ThresholdAlignmentTest {

  @Test
  void releaseThresholdMapsToOneHalfAndEndsAreFixed() {
    assertThat(ThresholdAlignment.align(0.92, 0.92)).isCloseTo(0.5, within(1e-12));
    assertThat(ThresholdAlignment.align(0.0, 0.92)).isEqualTo(0.0);
    assertThat(ThresholdAlignment.align(1.0, 0.92)).isCloseTo(1.0, within(1e-12));
    assertThat(ThresholdAlignment.align(0.46, 0.92)).isCloseTo(0.25, within(1e-12));
    assertThat(ThresholdAlignment.align(0.96, 0.92)).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void decisionsAtOneHalfEqualDecisionsAtTheModelThreshold() {
    double[] thresholds = {0.05, 0.3, 0.5, 0.75, 0.9553};
    for (double t : thresholds) {
      for (int i = 0; i <= 1000; i++) {
        double p = i / 1000.0;
        assertThat(ThresholdAlignment.align(p, t) >= 0.5).as("p=%s t=%s", p, t).isEqualTo(p >= t);
      }
    }
  }

  @Test
  void monotoneAndClampedAndUnusableThresholdsPassThrough() {
    double previous = -1;
    for (int i = 0; i <= 100; i++) {
      double a = ThresholdAlignment.align(i / 100.0, 0.7);
      assertThat(a).isGreaterThanOrEqualTo(previous);
      previous = a;
    }
    assertThat(ThresholdAlignment.align(1.7, 0.7)).isEqualTo(1.0);
    assertThat(ThresholdAlignment.align(0.3, 0.0)).isEqualTo(0.3);
    assertThat(ThresholdAlignment.align(0.3, Double.NaN)).isEqualTo(0.3);
  }
}
