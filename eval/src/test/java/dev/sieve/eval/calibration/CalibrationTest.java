package dev.sieve.eval.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sieve.eval.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationTest {

  @Test
  void pavPoolsAdjacentViolatorsByHand() {
    IsotonicCalibrator iso =
        IsotonicCalibrator.fit(
            new double[] {0.1, 0.2, 0.3, 0.4}, new boolean[] {false, true, false, true});
    // (0.2, 1) and (0.3, 0) violate order and pool to 0.5.
    assertThat(iso.apply(0.1)).isEqualTo(0.0);
    assertThat(iso.apply(0.2)).isEqualTo(0.5);
    assertThat(iso.apply(0.25)).isEqualTo(0.5);
    assertThat(iso.apply(0.3)).isEqualTo(0.5);
    assertThat(iso.apply(0.4)).isEqualTo(1.0);
    assertThat(iso.apply(0.15)).isCloseTo(0.25, within(1e-12)); // interpolated between knots
    assertThat(iso.apply(0.0)).isEqualTo(0.0); // clipped
    assertThat(iso.apply(0.9)).isEqualTo(1.0);
    assertThat(iso.apply(Double.NaN)).isNaN();
  }

  @Test
  void pavPoolsTiesAndFullyDecreasingData() {
    IsotonicCalibrator ties =
        IsotonicCalibrator.fit(new double[] {0.4, 0.2, 0.2}, new boolean[] {true, true, false});
    assertThat(ties.apply(0.2)).isEqualTo(0.5);
    assertThat(ties.apply(0.4)).isEqualTo(1.0);
    IsotonicCalibrator flat =
        IsotonicCalibrator.fit(new double[] {0.1, 0.2, 0.3}, new boolean[] {true, true, false});
    assertThat(flat.apply(0.2)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(flat.x()).containsExactly(0.1, 0.3);
  }

  @Test
  void plattOnOneScoreReturnsTheSmoothedTargetMean() {
    // One distinct score: only the intercept matters; the fit equals the mean of Platt's targets,
    // (2/3 + 3 * 1/5) / 4 for 1 positive and 3 negatives.
    PlattCalibrator p =
        PlattCalibrator.fit(
            new double[] {0.3, 0.3, 0.3, 0.3}, new boolean[] {true, false, false, false});
    assertThat(p.apply(0.3)).isCloseTo((2.0 / 3 + 3.0 / 5) / 4, within(1e-6));
  }

  @Test
  void plattFitIsAStationaryPointAndMonotone() {
    SplittableRandom rng = new SplittableRandom(1);
    int n = 400;
    double[] s = new double[n];
    boolean[] y = new boolean[n];
    long pos = 0;
    for (int i = 0; i < n; i++) {
      s[i] = rng.nextDouble();
      y[i] = rng.nextDouble() < s[i] * s[i]; // over-confident raw scores
      pos += y[i] ? 1 : 0;
    }
    PlattCalibrator p = PlattCalibrator.fit(s, y);
    double hi = (pos + 1.0) / (pos + 2.0);
    double lo = 1.0 / (n - pos + 2.0);
    double g1 = 0;
    double g2 = 0;
    for (int i = 0; i < n; i++) {
      double f = PlattCalibrator.logit(s[i]);
      double d = p.apply(s[i]) - (y[i] ? hi : lo);
      g1 += d * f;
      g2 += d;
    }
    // Core PlattScaling stops when a Newton step no longer lowers the loss by 1e-12: the gradient
    // is then ~1e-6 on 400 examples, far below anything a card prints.
    assertThat(Math.abs(g1)).isLessThan(1e-5);
    assertThat(Math.abs(g2)).isLessThan(1e-5);
    assertThat(p.a()).isPositive();
    assertThat(p.apply(0.2)).isLessThan(p.apply(0.8));
    // One class only: nothing to fit, the identity (not a step toward 0 or 1).
    assertThat(PlattCalibrator.fit(new double[] {0.2, 0.7}, new boolean[] {true, true}))
        .isEqualTo(new PlattCalibrator(1, 0));
  }

  @Test
  void fitterPicksACalibratorThatBeatsIdentityOnMiscalibratedScores() {
    SplittableRandom rng = new SplittableRandom(2);
    List<Example> ex = new ArrayList<>();
    int n = 2000;
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = rng.nextDouble();
      boolean positive = rng.nextDouble() < s[i] * s[i] * s[i];
      ex.add(Example.of("e" + i, "dev", positive ? List.of("adult") : List.of(), List.of("*")));
    }
    CategoryCalibration c = CalibrationFitter.fitCategory(ex, s, "adult");
    assertThat(c.calibrator().method()).isIn("platt", "isotonic");
    assertThat(c.cvLogLoss().get(c.calibrator().method()))
        .isLessThan(c.cvLogLoss().get("identity"));
    assertThat(c.cvLogLoss()).containsKeys("identity", "platt", "isotonic");
  }

  @Test
  void fitterLeavesTooLittleDataAlone() {
    List<Example> ex =
        List.of(
            Example.of("a", "dev", List.of("adult"), List.of("adult")),
            Example.of("b", "dev", List.of(), List.of("*")));
    CategoryCalibration c = CalibrationFitter.fitCategory(ex, new double[] {0.9, 0.1}, "adult");
    assertThat(c.calibrator()).isEqualTo(new IdentityCalibrator());
    assertThat(c.reason()).contains("too little dev data");
  }

  @Test
  void calibrationSetRoundTripsExactly() {
    CalibrationSet set =
        new CalibrationSet(
            CalibrationSet.FORMAT,
            "dev",
            "ds-x",
            Map.of(
                "adult",
                    new CategoryCalibration(
                        new IsotonicCalibrator(
                            new double[] {0.1, 0.3}, new double[] {0.0, 1.0 / 3}),
                        Map.of("identity", 0.5),
                        "why",
                        10,
                        20),
                "gambling",
                    new CategoryCalibration(
                        new PlattCalibrator(1.2345678901234, -0.1), Map.of(), "why", 10, 20),
                "news", new CategoryCalibration(new IdentityCalibrator(), Map.of(), "why", 1, 2)));
    CalibrationSet back = set.roundTrip();
    assertThat(back).isEqualTo(set);
    assertThat(back.apply("adult", 0.2)).isEqualTo(set.apply("adult", 0.2));
    assertThat(back.apply("gambling", 0.7)).isEqualTo(set.apply("gambling", 0.7));
    assertThat(back.apply("unknown", 0.7)).isEqualTo(0.7);
  }
}
