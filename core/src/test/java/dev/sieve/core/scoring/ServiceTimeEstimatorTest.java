package dev.sieve.core.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceTimeEstimatorTest {

  @Test
  void followsTheRecentObservations() {
    ServiceTimeEstimator estimator = new ServiceTimeEstimator(0.5);
    assertThat(estimator.hasEstimate()).isFalse();
    assertThat(estimator.nanosFor(10)).isZero();
    estimator.observe(10, 1_000);
    assertThat(estimator.hasEstimate()).isTrue();
    assertThat(estimator.nanosPerUnit()).isEqualTo(100.0);
    estimator.observe(10, 3_000);
    assertThat(estimator.nanosPerUnit()).isEqualTo(200.0);
    assertThat(estimator.nanosFor(3)).isEqualTo(600);
  }

  @Test
  void ignoresEmptyOrNegativeObservations() {
    ServiceTimeEstimator estimator = new ServiceTimeEstimator();
    estimator.observe(0, 1_000_000);
    estimator.observe(5, -1);
    assertThat(estimator.hasEstimate()).isFalse();
  }

  @Test
  void alphaMustBeAWeight() {
    assertThatThrownBy(() -> new ServiceTimeEstimator(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceTimeEstimator(1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
