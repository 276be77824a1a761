package dev.sieve.lab.data.texts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FleissKappaTest {

  /**
   * Hand-computed: 3 items, 3 raters, 2 categories, counts [3,0], [0,3], [2,1]. P_i = 1, 1, 1/3 so
   * P_bar = 7/9; p = (5/9, 4/9) so P_e = 41/81; kappa = (7/9 - 41/81) / (1 - 41/81) = 22/40 = 0.55.
   * Per category (two categories are symmetric): 1 - 2 / (18 * 20/81) = 0.55.
   */
  @Test
  void matchesTheHandComputedExample() {
    FleissKappa.Result r = FleissKappa.compute(new int[][] {{3, 0}, {0, 3}, {2, 1}});
    assertThat(r.observed()).isCloseTo(7.0 / 9, within(1e-12));
    assertThat(r.expected()).isCloseTo(41.0 / 81, within(1e-12));
    assertThat(r.kappa()).isCloseTo(0.55, within(1e-12));
    assertThat(r.perCategory()[0]).isCloseTo(0.55, within(1e-12));
    assertThat(r.perCategory()[1]).isCloseTo(0.55, within(1e-12));
  }

  /**
   * Fleiss (1971) as reproduced on Wikipedia: 10 subjects, 14 raters, 5 categories, kappa 0.210.
   */
  @Test
  void matchesFleissTextbookExample() {
    int[][] counts = {
      {0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
      {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7}
    };
    FleissKappa.Result r = FleissKappa.compute(counts);
    assertThat(r.observed()).isCloseTo(0.378, within(0.0005));
    assertThat(r.expected()).isCloseTo(0.213, within(0.0005));
    assertThat(r.kappa()).isCloseTo(0.210, within(0.0005));
  }

  /**
   * Variable raters: items [2,0] (2 raters) and [1,2] (3 raters). P_i = 1 and 2/6, P_bar = 2/3; p =
   * (3/5, 2/5), P_e = 13/25; kappa = (2/3 - 13/25) / (12/25) = (50 - 39) / 36 = 11/36.
   */
  @Test
  void handlesAVariableNumberOfRaters() {
    FleissKappa.Result r = FleissKappa.compute(new int[][] {{2, 0}, {1, 2}});
    assertThat(r.kappa()).isCloseTo(11.0 / 36, within(1e-12));
  }

  @Test
  void perfectAgreementIsOne() {
    assertThat(FleissKappa.compute(new int[][] {{3, 0}, {0, 3}}).kappa())
        .isCloseTo(1.0, within(1e-12));
  }
}
