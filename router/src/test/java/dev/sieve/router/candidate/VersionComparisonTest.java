package dev.sieve.router.candidate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.router.policy.PolicyParser;
import dev.sieve.router.policy.TenantPolicy;
import java.nio.charset.StandardCharsets;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Flips at the tenant's own thresholds; "no opinion" is not a flip; deltas over common categories.
 */
class VersionComparisonTest {

  private static ScoreResponse scores(Object... pairs) {
    ScoreResponse.Builder b = ScoreResponse.newBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      b.addScores(
          CategoryScore.newBuilder()
              .setCategory((String) pairs[i])
              .setScore((Double) pairs[i + 1]));
    }
    return b.build();
  }

  @Test
  void flipsAtTheTenantsThresholds() throws Exception {
    TenantPolicy tenant =
        PolicyParser.parse(
                "p.yaml",
                """
        id: p
        version: "1"
        defaults: {threshold: 0.5, uncertainty_margin: 0.1}
        categories: {gambling: {threshold: 0.8}}
        """
                    .getBytes(StandardCharsets.UTF_8))
            .global();
    VersionComparison c =
        VersionComparison.of(
            scores("gambling", 0.7, "news", 0.45, "adult", 0.1),
            scores("gambling", 0.85, "news", 0.55, "violence", 0.9),
            tenant);
    assertThat(c.flips()).containsExactly("gambling", "news");
    assertThat(c.candidateDecides("gambling")).isTrue();
    assertThat(c.servingDecides("gambling")).isFalse();
    assertThat(c.thresholds()).containsEntry("gambling", 0.8).containsEntry("news", 0.5);
    assertThat(c.opinionOnly()).containsExactly("adult", "violence");
    assertThat(c.maxAbsDelta()).isCloseTo(0.15, Offset.offset(1e-9));
    assertThat(c.common()).containsExactly("gambling", "news");
  }
}
