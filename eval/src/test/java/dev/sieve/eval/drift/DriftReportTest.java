package dev.sieve.eval.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sieve.core.metrics.ScoreBins;
import dev.sieve.eval.card.DriftDocument;
import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.card.ModelCardGenerator;
import dev.sieve.eval.cli.EvalCommand;
import dev.sieve.eval.metrics.Drift;
import dev.sieve.eval.report.CategoryResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./sieve eval drift} against the released fleet card: classify-batch output and router
 * metrics are read into the cards' bins, traffic drawn from the card's own distribution is stable,
 * traffic from a different distribution is flagged, and the report and the Prometheus reference
 * rules carry the card's numbers.
 */
class DriftReportTest {

  @TempDir Path dir;

  private static ModelCard fleetCard() throws IOException {
    Path fleet = Path.of("..", "models", "sieve-fleet");
    String released = Files.readString(fleet.resolve("RELEASED")).strip();
    return ModelCardGenerator.read(fleet.resolve(released).resolve(ModelCard.JSON));
  }

  private static CategoryResult category(ModelCard card, String id) {
    return card.quantitativeAnalyses().categories().stream()
        .filter(c -> c.category().equals(id))
        .findFirst()
        .orElseThrow();
  }

  /** n scores drawn from a histogram's shares (uniform inside the bin). */
  private static double[] sample(long[] histogram, int n, long seed) {
    Random random = new Random(seed);
    long total = Arrays.stream(histogram).sum();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      long pick = (long) (random.nextDouble() * total);
      int bin = 0;
      while (pick >= histogram[bin]) {
        pick -= histogram[bin++];
      }
      out[i] = (bin + random.nextDouble()) / ScoreBins.BINS;
    }
    return out;
  }

  private Path batch(String category, double[] scores, double threshold) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      lines.add(
          String.format(
              Locale.ROOT,
              "{\"id\":%d,\"url\":\"https://s%d.example/\",\"input\":\"%s\",\"categories\":{\"%s\":{\"score\":%.6f,\"decision\":%s}},"
                  + "\"action\":\"ALLOW\",\"alert\":false,\"primary_category\":\"\",\"degraded\":false,"
                  + "\"tiers\":{\"url\":\"OK\",\"content\":\"%s\",\"llm\":\"SKIPPED\"}}",
              i,
              i,
              i % 4 == 0 ? "html" : "url_only",
              category,
              scores[i],
              scores[i] >= threshold,
              i % 4 == 0 ? "OK" : "SKIPPED"));
    }
    lines.add(
        "{\"id\":\"bad\",\"url\":\"x\",\"error\":{\"code\":\"INVALID_ARGUMENT\",\"message\":\"malformed\"}}");
    Path file = dir.resolve(category + "-" + scores.length + ".jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void batchOutputIsCountedIntoTheCardsBins() throws IOException {
    Path file = batch("news", new double[] {0.0, 0.049, 0.05, 0.51, 0.999, 1.0}, 0.5);
    LiveScores live = LiveScores.fromBatch(file);
    long[] h = live.histogram(LiveScores.MERGED, "news");
    assertThat(h[0]).isEqualTo(2);
    assertThat(h[1]).isEqualTo(1);
    assertThat(h[10]).isEqualTo(1);
    assertThat(h[19]).isEqualTo(2);
    assertThat(live.verdicts()).isEqualTo(6);
    assertThat(live.decisions("news")).isEqualTo(3);
    assertThat(live.inputs()).containsEntry("html", 2L).containsEntry("url_only", 4L);
    assertThat(live.errors()).containsEntry("INVALID_ARGUMENT", 1L);
    assertThat(live.tierStates().get("content"))
        .containsEntry("OK", 2L)
        .containsEntry("SKIPPED", 4L);
  }

  @Test
  void trafficLikeTheCardIsStableAndTrafficFromElsewhereIsFlagged() throws IOException {
    ModelCard card = fleetCard();
    CategoryResult hate = category(card, "hate");
    DriftAnalysis.CardRef ref = new DriftAnalysis.CardRef(LiveScores.MERGED, card);

    LiveScores same =
        LiveScores.fromBatch(
            batch("hate", sample(hate.scoreHistogram(), 5000, 1), hate.threshold()));
    DriftAnalysis.Row stable = row(DriftAnalysis.of(List.of(ref), same), "hate");
    assertThat(stable.liveN()).isEqualTo(5000);
    assertThat(stable.psi()).isLessThan(DriftAnalysis.PSI_WATCH);
    assertThat(stable.verdict()).isEqualTo("stable");

    // Scores shaped like another category's (security_threat: spread over 0-0.5) in place of
    // hate's.
    long[] other = category(card, "security_threat").scoreHistogram();
    LiveScores elsewhere =
        LiveScores.fromBatch(batch("hate", sample(other, 5000, 2), hate.threshold()));
    DriftAnalysis.Row shifted = row(DriftAnalysis.of(List.of(ref), elsewhere), "hate");
    assertThat(shifted.psi())
        .isGreaterThan(DriftAnalysis.PSI_ACT)
        .isCloseTo(
            Drift.psi(hate.scoreHistogram(), elsewhere.histogram("merged", "hate")), within(1e-12));
    assertThat(shifted.jsDistance()).isBetween(0.0, 1.0).isGreaterThan(stable.jsDistance());
    assertThat(shifted.verdict()).isEqualTo("act");
    assertThat(shifted.cardRate().k()).isEqualTo(hate.tp() + hate.fp());

    // A handful of scores is not judged, whatever its PSI.
    LiveScores few = LiveScores.fromBatch(batch("hate", sample(other, 50, 3), hate.threshold()));
    assertThat(row(DriftAnalysis.of(List.of(ref), few), "hate").verdict())
        .startsWith("act (too few: 50");
  }

  @Test
  void routerMetricsAreReadPerTierAndAsAWindowBetweenScrapes() {
    String before =
        exposition("news", "merged", new long[] {1, 0, 2}, 0, 3)
            + exposition("news", "url", new long[] {3}, 0, 0);
    String after =
        exposition("news", "merged", new long[] {4, 1, 2}, 9, 9)
            + exposition("news", "url", new long[] {3, 5}, 1, 0);
    LiveScores total = LiveScores.fromPrometheus(after, null, "test");
    assertThat(total.histogram("merged", "news")).startsWith(4, 1, 2).endsWith(9);
    assertThat(Arrays.stream(total.histogram("merged", "news")).sum()).isEqualTo(16);
    assertThat(total.histogram("url", "news")).startsWith(3, 5);
    assertThat(total.histogram("url", "news")[19]).isEqualTo(1);
    assertThat(total.decisions("news")).isEqualTo(9);
    assertThat(total.inputs()).containsEntry("url_only", 16L);

    LiveScores window = LiveScores.fromPrometheus(after, before, "test");
    assertThat(window.histogram("merged", "news")).startsWith(3, 1, 0).endsWith(9);
    assertThat(window.decisions("news")).isEqualTo(6);
    assertThatThrownBy(() -> LiveScores.fromPrometheus(before, after, "test"))
        .hasMessageContaining("went down");
  }

  @Test
  void metricsWithoutTheCardsEdgesAreRefused() {
    String old =
        """
        sieve_router_category_score_bucket{application="router",category="adult",le="0.5"} 0
        sieve_router_category_score_bucket{application="router",category="adult",le="1.0"} 558
        sieve_router_category_score_bucket{application="router",category="adult",le="+Inf"} 558
        """;
    assertThatThrownBy(() -> LiveScores.fromPrometheus(old, null, "old router"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lacks the bucket le=\"0.05\"");
    assertThatThrownBy(() -> LiveScores.fromPrometheus("jvm_info{a=\"b\"} 1\n", null, "x"))
        .hasMessageContaining("no sieve_router_category_score_bucket");
  }

  /**
   * The router's exposition of one series: {@code perBin[i]} scores in bin i, {@code last} in the
   * last bin; decisions and inputs as the router names them.
   */
  private static String exposition(
      String category, String tier, long[] perBin, long inLast, long decisions) {
    StringBuilder sb = new StringBuilder();
    double[] edges = ScoreBins.upperEdges();
    long cumulative = 0;
    for (int i = 0; i < edges.length; i++) {
      cumulative += i < perBin.length ? perBin[i] : 0;
      if (i == edges.length - 1) {
        cumulative += inLast;
      }
      sb.append("sieve_router_category_score_bucket{application=\"router\",category=\"")
          .append(category)
          .append("\",tier=\"")
          .append(tier)
          .append("\",le=\"")
          .append(edges[i])
          .append("\"} ")
          .append(cumulative)
          .append('\n');
    }
    sb.append("sieve_router_category_score_bucket{application=\"router\",category=\"")
        .append(category)
        .append("\",tier=\"")
        .append(tier)
        .append("\",le=\"+Inf\"} ")
        .append(cumulative)
        .append('\n');
    if (tier.equals("merged")) {
      sb.append("sieve_router_decisions_total{application=\"router\",category=\"")
          .append(category)
          .append("\"} ")
          .append(decisions)
          .append(".0\n");
      sb.append("sieve_router_inputs_total{application=\"router\",input=\"url_only\"} ")
          .append(cumulative)
          .append(".0\n");
    }
    return sb.toString();
  }

  @Test
  void theCommandWritesMarkdownAndHtmlReports() throws IOException {
    ModelCard card = fleetCard();
    CategoryResult hate = category(card, "hate");
    Path file =
        batch(
            "hate",
            sample(category(card, "security_threat").scoreHistogram(), 2000, 4),
            hate.threshold());
    Path fleetDir =
        Path.of(
            "..",
            "models",
            "sieve-fleet",
            Files.readString(Path.of("..", "models", "sieve-fleet", "RELEASED")).strip());
    Path out = dir.resolve("report");
    int code =
        new CommandLine(new EvalCommand())
            .execute(
                "drift",
                fleetDir.toString(),
                "--batch",
                file.toString(),
                "--out",
                out.toString(),
                "--fail-psi",
                "0.25");
    assertThat(code).as("exit 1: hate's PSI is above --fail-psi").isEqualTo(1);
    String md = Files.readString(out.resolve(DriftDocument.MARKDOWN));
    String html = Files.readString(out.resolve(DriftDocument.HTML));
    assertThat(md)
        .contains(
            "# Drift report",
            "| hate | " + Arrays.stream(hate.scoreHistogram()).sum() + " | 2000 |",
            "Decision rate",
            "| input | html | 500 | 25.0% |",
            "| no verdict | INVALID\\_ARGUMENT | 1 |");
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<svg", "hate (PSI ", "<title>Drift report</title>");

    assertThat(
            new CommandLine(new EvalCommand())
                .execute(
                    "drift", fleetDir.toString(), "--batch", file.toString(), "--fail-psi", "1000"))
        .isZero();
    assertThat(
            new CommandLine(new EvalCommand())
                .execute(
                    "drift",
                    fleetDir.toString(),
                    "--batch",
                    file.toString(),
                    "--since",
                    file.toString()))
        .as("--since without --metrics")
        .isEqualTo(1);
    Path urlDir =
        Path.of(
            "..",
            "models",
            "url-lexical",
            Files.readString(Path.of("..", "models", "url-lexical", "RELEASED")).strip());
    assertThat(
            new CommandLine(new EvalCommand())
                .execute("drift", urlDir.toString(), "--batch", file.toString()))
        .as("batch output has served scores only: a tier card is refused")
        .isEqualTo(1);
  }

  @Test
  void referenceRulesCarryTheCardsShares() throws IOException {
    ModelCard card = fleetCard();
    String yaml = DriftRules.generate(card, LiveScores.MERGED, "test");
    JsonNode rules =
        new ObjectMapper(new YAMLFactory()).readTree(yaml).path("groups").get(0).path("rules");
    assertThat(rules).hasSize(ScoreBins.BINS + 1);
    CategoryResult hate = category(card, "hate");
    long total = Arrays.stream(hate.scoreHistogram()).sum();
    for (int bin = 0; bin < ScoreBins.BINS; bin++) {
      JsonNode rule = rules.get(bin);
      assertThat(rule.path("record").asText()).isEqualTo("sieve:card_score_bin_share");
      assertThat(rule.path("labels").path("bin").asText())
          .isEqualTo(String.format(Locale.ROOT, "%02d", bin));
      assertThat(rule.path("labels").path("tier").asText()).isEqualTo("merged");
      String expected =
          String.format(
              Locale.ROOT,
              "vector(%.6g), \"category\", \"hate\"",
              (double) hate.scoreHistogram()[bin] / total);
      assertThat(rule.path("expr").asText()).contains(expected);
    }
    assertThat(rules.get(ScoreBins.BINS).path("record").asText())
        .isEqualTo("sieve:card_decision_rate");
    assertThat(yaml)
        .doesNotContain("\"weapons\"")
        .as("a category the card did not score has no reference");
  }

  private static DriftAnalysis.Row row(DriftAnalysis analysis, String category) {
    return analysis.rows().stream()
        .filter(r -> r.category().equals(category))
        .findFirst()
        .orElseThrow();
  }
}
