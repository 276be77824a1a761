package dev.sieve.core.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PlattScalingTest {

  @Test
  void recoversTheGeneratingSigmoidAndLetsAPriorAnchorTinySets() {
    Random random = new Random(7);
    int n = 20_000;
    double[] s = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      s[i] = random.nextGaussian() * 2;
      y[i] = random.nextDouble() < PlattScaling.sigmoid(1.5 * s[i] - 0.5);
    }
    double[] ab = PlattScaling.fit(s, y);
    assertThat(ab[0]).isCloseTo(1.5, within(0.1));
    assertThat(ab[1]).isCloseTo(-0.5, within(0.1));

    assertThat(PlattScaling.fit(new double[] {1, 2}, new boolean[] {true, true}))
        .containsExactly(1, 0);
    assertThat(PlattScaling.fit(new double[] {1, 2}, new boolean[] {true, true}, 12, -1.2, 0.5))
        .containsExactly(12, -1.2);

    double[] tiny = {0.1, 0.2, 0.3, -0.1};
    boolean[] tinyY = {true, true, false, false};
    double[] free = PlattScaling.fit(tiny, tinyY);
    double[] anchored = PlattScaling.fit(tiny, tinyY, 12, -1.2, 1000);
    assertThat(anchored[0]).isCloseTo(12, within(0.5));
    assertThat(Math.abs(anchored[0] - 12)).isLessThan(Math.abs(free[0] - 12));
  }
}
