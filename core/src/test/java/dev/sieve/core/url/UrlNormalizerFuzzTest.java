package dev.sieve.core.url;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the URL normalizer (Jazzer). Every test run replays the committed
 * inputs under {@code src/test/resources/dev/sieve/core/url/UrlNormalizerFuzzTestInputs/}; {@code
 * JAZZER_FUZZ=1} fuzzes (see docs/reliability.md, "Wire input and operations").
 *
 * <p>What must hold for any string: the normalizer returns or throws {@link UrlRejectedException},
 * nothing else; its canonical form normalizes to itself (the verdict cache and the domain table key
 * on it); an IP literal's host is what it would print.
 */
class UrlNormalizerFuzzTest {

  /** Inputs tried in this JVM, printed at the end (the figure docs/reliability.md reports). */
  private static final AtomicLong EXECUTIONS = new AtomicLong();

  @AfterAll
  static void reportExecutions() {
    System.out.println("UrlNormalizerFuzzTest: " + EXECUTIONS.get() + " inputs");
  }

  private static final UrlNormalizer NORMALIZER = UrlNormalizer.instance();

  @FuzzTest(maxDuration = "10s")
  void normalizesOrRejectsAndTheCanonicalFormIsAFixedPoint(FuzzedDataProvider data) {
    EXECUTIONS.incrementAndGet();
    String raw = data.consumeRemainingAsString();
    NormalizedUrl url;
    try {
      url = NORMALIZER.normalize(raw);
    } catch (UrlRejectedException rejected) {
      assertThat(rejected.reason()).isNotNull();
      return;
    }
    NormalizedUrl again;
    try {
      again = NORMALIZER.normalize(url.canonical());
    } catch (UrlRejectedException e) {
      throw new AssertionError(
          "canonical form " + url.canonical() + " of " + raw + " is rejected: " + e.getMessage(),
          e);
    }
    assertThat(again.canonical()).as("canonical form of %s", raw).isEqualTo(url.canonical());
    assertThat(again.host()).isEqualTo(url.host());
    assertThat(url.host()).isEqualTo(url.host().toLowerCase(Locale.ROOT));
    if (url.ipLiteral() && !url.host().contains(":")) {
      assertThat(url.host()).matches("(\\d{1,3}\\.){3}\\d{1,3}");
    }
  }
}
