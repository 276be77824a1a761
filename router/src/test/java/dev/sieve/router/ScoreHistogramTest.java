package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.metrics.ScoreBins;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.TierName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code sieve_router_category_score{category, tier}} counts known scores into the card's 20 bins:
 * the scraped exposition has cumulative {@code _bucket} counters at the fractional edges 0.05 ...
 * 1.0, per tier and merged. (The Micrometer DistributionSummary it replaces put all of these in
 * {@code le="1.0"}.)
 */
class ScoreHistogramTest {

  private static final double[] URL_SCORES = {0.03, 0.12, 0.12, 0.149, 0.5, 0.51, 0.97};

  @Test
  void knownScoresLandInTheCardsBinsOnTheScrapedText() {
    FakeTier urlTier = new FakeTier("url", Taxonomy.v1().ids());
    try (RouterHarness h = RouterHarness.builder().tier(TierName.URL, urlTier).build()) {
      List<Double> merged = new ArrayList<>();
      List<Boolean> decided = new ArrayList<>();
      for (int i = 0; i < URL_SCORES.length; i++) {
        urlTier.answer(Map.of("news", URL_SCORES[i]));
        ClassifyResponse response =
            h.classify(
                ClassifyRequest.newBuilder()
                    .setUrl("https://site" + i + ".example/")
                    .setBypassCache(true)
                    .build());
        CategoryVerdict news =
            response.getCategoriesList().stream()
                .filter(c -> c.getCategory().equals("news"))
                .findFirst()
                .orElseThrow();
        merged.add(news.getScore());
        decided.add(news.getDecision());
      }
      // A fresh verdict counts once; the cache hit that repeats it is not a new observation.
      urlTier.answer(Map.of("news", 0.99));
      ClassifyResponse fresh =
          h.classify(ClassifyRequest.newBuilder().setUrl("https://fresh.example/").build());
      ClassifyResponse hit =
          h.classify(ClassifyRequest.newBuilder().setUrl("https://fresh.example/").build());
      assertThat(hit.getCacheHit()).isTrue();
      CategoryVerdict freshNews =
          fresh.getCategoriesList().stream()
              .filter(c -> c.getCategory().equals("news"))
              .findFirst()
              .orElseThrow();
      merged.add(freshNews.getScore());
      decided.add(freshNews.getDecision());

      String text = h.meters.scrape();
      Map<String, Long> url = buckets(text, "news", "url");
      assertThat(url.keySet())
          .as("le labels: the card's fractional edges, then +Inf")
          .containsExactlyElementsOf(expectedLabels());
      assertThat(url)
          .containsAllEntriesOf(
              Map.of(
                  "0.05", 1L, "0.1", 1L, "0.15", 4L, "0.45", 4L, "0.5", 5L, "0.55", 6L, "0.95", 6L,
                  "1.0", 8L, "+Inf", 8L));
      assertThat(count(text, "news", "url")).isEqualTo(8);

      Map<String, Long> mergedBuckets = buckets(text, "news", ScoreHistograms.MERGED);
      double[] edges = ScoreBins.upperEdges();
      for (int i = 0; i < edges.length; i++) {
        double edge = edges[i];
        long expected = merged.stream().filter(s -> s <= edge).count();
        assertThat(mergedBuckets.get(expectedLabels().get(i)))
            .as("merged le=%s (merged scores %s)", edge, merged)
            .isEqualTo(expected);
      }
      assertThat(count(text, "news", ScoreHistograms.MERGED)).isEqualTo(8);
      assertThat(text)
          .contains(
              "sieve_router_category_score_bucket{application=\"router\",category=\"news\",tier=\"merged\",le=\"0.05\"}");
      assertThat(text).containsPattern("sieve_router_inputs_total\\{[^}]*input=\"url_only\"} 8");
      long positives = decided.stream().filter(d -> d).count();
      assertThat(positives).as("some news verdicts are positive").isPositive();
      assertThat(text)
          .as("decisions of fresh verdicts only (the cache hit is not counted)")
          .containsPattern(
              "sieve_router_decisions_total\\{[^}]*category=\"news\"} " + positives + "\\.0");
    }
  }

  private static List<String> expectedLabels() {
    List<String> labels = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      labels.add(
          i % 2 == 0
              ? (i == 20 ? "1.0" : String.format(Locale.ROOT, "%.1f", i / 20.0))
              : String.format(Locale.ROOT, "%.2f", i / 20.0));
    }
    labels.add("+Inf");
    return labels;
  }

  /** le -> cumulative count of one series, in exposition order. */
  private static Map<String, Long> buckets(String text, String category, String tier) {
    Pattern line =
        Pattern.compile(
            "^sieve_router_category_score_bucket\\{application=\"router\",category=\""
                + category
                + "\",tier=\""
                + tier
                + "\",le=\"([^\"]+)\"} (\\S+)$",
            Pattern.MULTILINE);
    Map<String, Long> out = new LinkedHashMap<>();
    Matcher m = line.matcher(text);
    while (m.find()) {
      out.put(m.group(1), (long) Double.parseDouble(m.group(2)));
    }
    return out;
  }

  private static long count(String text, String category, String tier) {
    Matcher m =
        Pattern.compile(
                "^sieve_router_category_score_count\\{application=\"router\",category=\""
                    + category
                    + "\",tier=\""
                    + tier
                    + "\"} (\\S+)$",
                Pattern.MULTILINE)
            .matcher(text);
    assertThat(m.find()).as("count line for %s/%s", category, tier).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }
}
