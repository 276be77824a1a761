package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.ResilienceSettings;
import dev.sieve.router.tier.TierName;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.Status;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code sieve_router_breaker_state{tier, state}} is one 0/1 series per breaker state, exactly one
 * of them 1: an alert is {@code sieve_router_breaker_state{state="open"} == 1}, not a magic number.
 */
class BreakerStateMetricTest {

  @Test
  void exactlyTheCurrentStateIsOne() {
    FakeTier urlTier = new FakeTier("url", Taxonomy.v1().ids()).fail(Status.UNAVAILABLE);
    ResilienceSettings breaker =
        ResilienceSettings.defaults(TierName.URL)
            .withTimeout(Duration.ofSeconds(5))
            .withBreaker(4, 4, 50f, Duration.ofSeconds(30), 2);
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .resilience(TierName.URL, breaker)
            .build()) {
      assertStates(h, "closed");

      for (int i = 0; i < 4; i++) {
        h.classify(
            ClassifyRequest.newBuilder()
                .setUrl("https://x" + i + ".example/")
                .setBypassCache(true)
                .build());
      }
      assertThat(h.router().fleet().client(TierName.URL).breakerState())
          .isEqualTo(CircuitBreaker.State.OPEN);
      assertStates(h, "open");

      h.clock.advance(Duration.ofSeconds(31));
      urlTier.answer(Map.of("news", 0.9));
      h.classify(
          ClassifyRequest.newBuilder().setUrl("https://z.example/").setBypassCache(true).build());
      assertStates(h, "half_open");
    }
  }

  private static void assertStates(RouterHarness h, String current) {
    for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
      String label = state.name().toLowerCase(Locale.ROOT);
      double value =
          h.meters
              .get("sieve.router.breaker.state")
              .tags("tier", "url", "state", label)
              .gauge()
              .value();
      assertThat(value)
          .as("breaker_state{state=%s}", label)
          .isEqualTo(label.equals(current) ? 1.0 : 0.0);
    }
  }
}
