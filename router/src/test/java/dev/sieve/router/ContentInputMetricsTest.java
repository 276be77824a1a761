package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.TierName;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The content tier's account of each page (normalized_input) becomes input-drift counters: pages
 * truncated or whole, truncation reasons without their counts, languages; a cache hit counts
 * nothing.
 */
class ContentInputMetricsTest {

  @Test
  void truncatedPagesReasonsAndLanguagesAreCountedOncePerFreshVerdict() {
    FakeTier content = new FakeTier("content", Taxonomy.v1().ids());
    try (RouterHarness h = RouterHarness.builder().tier(TierName.CONTENT, content).build()) {
      content.answer(
          content.response(Map.of("news", 0.2)).toBuilder()
              .setNormalizedInput(
                  "html lang=de chars=90000 chunks=16 truncated=max_chunks(31),max_text_chars")
              .build());
      h.classify(page("https://a.example/", "<p>lang</p>"));
      h.classify(page("https://a.example/", "<p>lang</p>")); // cache hit: not counted again
      content.answer(
          content.response(Map.of("news", 0.2)).toBuilder()
              .setNormalizedInput("text lang=en chars=120 chunks=1")
              .build());
      h.classify(page("https://b.example/", "<p>short</p>"));

      String text = h.meters.scrape();
      assertThat(text)
          .contains("sieve_router_content_pages_total{truncated=\"yes\"} 1.0")
          .contains("sieve_router_content_pages_total{truncated=\"no\"} 1.0")
          .contains("sieve_router_content_truncations_total{reason=\"max_chunks\"} 1.0")
          .contains("sieve_router_content_truncations_total{reason=\"max_text_chars\"} 1.0")
          .contains("sieve_router_content_languages_total{lang=\"de\"} 1.0")
          .contains("sieve_router_content_languages_total{lang=\"en\"} 1.0");
    }
  }

  @Test
  void fieldsAreReadOnlyAtWordStarts() {
    assertThat(ContentInputMetrics.field("html lang=en chars=1", "lang=")).isEqualTo("en");
    assertThat(ContentInputMetrics.field("html xlang=en", "lang=")).isNull();
    assertThat(ContentInputMetrics.field("html lang= chars=1", "lang=")).isNull();
    assertThat(ContentInputMetrics.field("html chunks=3", "truncated=")).isNull();
  }

  private static ClassifyRequest page(String url, String html) {
    return ClassifyRequest.newBuilder().setUrl(url).setHtml(ByteString.copyFromUtf8(html)).build();
  }
}
