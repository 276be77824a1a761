package dev.sieve.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sieve.core.metrics.ScoreBins;
import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.card.ModelCardGenerator;
import dev.sieve.eval.cli.EvalDriftRulesCommand;
import dev.sieve.eval.drift.DriftRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The drift alerts beyond the fleet card's (#15 item 2): per-tier score drift against each tier's
 * released model card, decision-rate shift and input-mix shift against the same hour a day earlier,
 * and the share of pages truncated before the content encoder. Each fires in a {@code promtool test
 * rules} case with a planted shift and stays silent on traffic without one; the tier references are
 * the released tier cards' (regenerate with {@code ./sieve eval drift-rules}).
 */
class InputAndTierDriftRulesTest {

  private static final Path MONITORING = Helm.chartDir().resolve("monitoring");
  private static final Path ALERTS = MONITORING.resolve("sieve-alerts.rules.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TIERS = List.of("url", "content");
  private static final String MODEL_OF = "url=url-lexical content=content-minilm-mlp";

  private static Path reference(String tier) {
    return MONITORING.resolve("sieve-drift-reference-" + tier + ".rules.yaml");
  }

  private static ModelCard releasedCard(String tier) throws IOException {
    String model = tier.equals("url") ? "url-lexical" : "content-minilm-mlp";
    Path root = Helm.repoRoot().resolve("models").resolve(model);
    return ModelCardGenerator.read(
        root.resolve(Files.readString(root.resolve("RELEASED")).strip()).resolve(ModelCard.JSON));
  }

  @Test
  void tierReferencesAreTheReleasedTierCardsAndPassPromtool() throws Exception {
    for (String tier : TIERS) {
      assertThat(Files.readString(reference(tier)))
          .as(
              "regenerate (%s): ./sieve eval drift-rules models/<model>/$(cat models/<model>/RELEASED) --out %s",
              MODEL_OF, reference(tier))
          .isEqualTo(DriftRules.generate(releasedCard(tier), tier, EvalDriftRulesCommand.COMMAND));
      Result r = promtool("check", "rules", reference(tier).toString());
      assertThat(r.code).as(r.output).isZero();
    }
    Result r = promtool("check", "rules", ALERTS.toString());
    assertThat(r.code).as(r.output).isZero();
  }

  @Test
  void eachAlertFiresOnItsPlantedShiftOnly() throws Exception {
    ModelCard url = releasedCard("url");
    long[] urlGambling = histogram(url, "gambling");
    JsonNode measured =
        JSON.readTree(
            Files.readString(
                Path.of("src/test/resources/drift/gambling-blocklist-histograms.json")));
    long[] elsewhere = new long[ScoreBins.BINS];
    for (int i = 0; i < elsewhere.length; i++) {
      elsewhere[i] = measured.path("histograms").path("gambling").get(i).asLong();
    }
    assertThat(psi(urlGambling, elsewhere))
        .as("the planted shift against the url card is large")
        .isGreaterThan(0.25);

    StringBuilder t = new StringBuilder("rule_files:\n");
    t.append("  - ")
        .append(MONITORING.resolve("sieve-drift-reference.rules.yaml").toAbsolutePath())
        .append('\n');
    for (String tier : TIERS) {
      t.append("  - ").append(reference(tier).toAbsolutePath()).append('\n');
    }
    t.append("  - ").append(ALERTS.toAbsolutePath()).append("\nevaluation_interval: 1m\ntests:\n");

    // 1. The url tier's gambling scores like its card: silent; from the blocklist run:
    // SieveTierScoreDrift.
    t.append("  - interval: 1m\n    input_series:\n");
    buckets(t, "url", "gambling", urlGambling, 120);
    t.append(
        "    alert_rule_test:\n      - eval_time: 100m\n        alertname: SieveTierScoreDrift\n        exp_alerts: []\n");
    t.append("  - interval: 1m\n    input_series:\n");
    buckets(t, "url", "gambling", elsewhere, 120);
    t.append(
            "    alert_rule_test:\n      - eval_time: 100m\n        alertname: SieveTierScoreDrift\n        exp_alerts:\n")
        .append("          - exp_labels: {severity: warning, tier: url, category: gambling}\n")
        .append("            exp_annotations:\n")
        .append(annotations("SieveTierScoreDrift", "url", "gambling"));

    Path dir = Files.createDirectories(Path.of("target/promtool-tests"));
    Path file = dir.resolve("tier-drift.test.yaml");
    Files.writeString(file, t, StandardCharsets.UTF_8);
    Result r = promtool("test", "rules", file.toString());
    assertThat(r.code).as("promtool test rules %s:\n%s", file, r.output).isZero();

    // The day-over-day shifts, at a 5-minute step (a day and a half of rule evaluations at 1 minute
    // took promtool six minutes): samples every 5 minutes, the shift starting at 25h05m; evaluated
    // 10 minutes before it (silent) and 95 minutes after it (firing after the 30 minutes' "for").
    StringBuilder d =
        new StringBuilder("rule_files:\n  - ")
            .append(ALERTS.toAbsolutePath())
            .append("\nevaluation_interval: 5m\ntests:\n");
    // 2. Decision rate of gambling: 10% of 20 verdicts a minute for a day, then 40%.
    d.append("  - interval: 5m\n    input_series:\n")
        .append(
            "      - series: 'sieve_router_category_score_bucket{category=\"gambling\",tier=\"merged\",le=\"+Inf\"}'\n")
        .append("        values: '0+100x")
        .append(STEPS + 40)
        .append("'\n");
    shifting(d, "sieve_router_decisions_total{category=\"gambling\"}", 2, 8);
    d.append("    alert_rule_test:\n");
    silentThenFiring(d, "SieveDecisionRateShift", "category: gambling, ", "gambling");
    // 3. Input mix: 30% URL-only for a day, then 80%; 4. truncated pages: 10%, then 50%.
    d.append("  - interval: 5m\n    input_series:\n");
    shifting(d, "sieve_router_inputs_total{input=\"url_only\"}", 6, 16);
    shifting(d, "sieve_router_inputs_total{input=\"html\"}", 14, 4);
    shifting(d, "sieve_router_content_pages_total{truncated=\"yes\"}", 1, 5);
    shifting(d, "sieve_router_content_pages_total{truncated=\"no\"}", 9, 5);
    d.append("    alert_rule_test:\n");
    silentThenFiring(d, "SieveInputMixShift", "", null);
    silentThenFiring(d, "SieveContentTruncationShift", "", null);

    Path daily = dir.resolve("input-drift.test.yaml");
    Files.writeString(daily, d, StandardCharsets.UTF_8);
    r = promtool("test", "rules", daily.toString());
    assertThat(r.code).as("promtool test rules %s:\n%s", daily, r.output).isZero();
  }

  /** 5-minute samples until the shift: 25 hours. */
  private static final int STEPS = 300;

  private static void silentThenFiring(
      StringBuilder d, String alert, String labels, String category) throws IOException {
    d.append("      - eval_time: ")
        .append(STEPS * 5 - 5)
        .append("m\n        alertname: ")
        .append(alert)
        .append("\n        exp_alerts: []\n")
        .append("      - eval_time: ")
        .append(STEPS * 5 + 100)
        .append("m\n        alertname: ")
        .append(alert)
        .append("\n        exp_alerts:\n          - exp_labels: {")
        .append(labels)
        .append("severity: warning}\n")
        .append("            exp_annotations:\n")
        .append(annotations(alert, null, category));
  }

  /**
   * A counter growing by {@code before} a minute (sampled every 5) for 25 hours, then by {@code
   * after} for 200 minutes.
   */
  private static void shifting(StringBuilder t, String series, int before, int after) {
    t.append("      - series: '")
        .append(series)
        .append("'\n        values: '0+")
        .append(5 * before)
        .append('x')
        .append(STEPS)
        .append(' ')
        .append(5L * before * STEPS + 5L * after)
        .append('+')
        .append(5 * after)
        .append("x40'\n");
  }

  private static String annotations(String alert, String tier, String category) throws IOException {
    JsonNode rule = null;
    for (JsonNode group : YAML.readTree(ALERTS.toFile()).path("groups")) {
      for (JsonNode r : group.path("rules")) {
        if (r.path("alert").asText().equals(alert)) {
          rule = r;
        }
      }
    }
    if (rule == null) {
      fail("no alert " + alert);
    }
    StringBuilder sb = new StringBuilder();
    for (String key : List.of("summary", "description", "runbook")) {
      String text = rule.path("annotations").path(key).asText();
      if (tier != null) {
        text = text.replace("{{ $labels.tier }}", tier);
      }
      if (category != null) {
        text = text.replace("{{ $labels.category }}", category);
      }
      sb.append("              ")
          .append(key)
          .append(": \"")
          .append(text.replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\"\n");
    }
    return sb.toString();
  }

  private static long[] histogram(ModelCard card, String category) {
    return card.quantitativeAnalyses().categories().stream()
        .filter(c -> c.category().equals(category))
        .findFirst()
        .orElseThrow()
        .scoreHistogram();
  }

  /** Cumulative bucket series of {@code tier}, 20 scores a minute in the histogram's shares. */
  private static void buckets(
      StringBuilder sb, String tier, String category, long[] histogram, int minutes) {
    double total = Arrays.stream(histogram).sum();
    double[] edges = ScoreBins.upperEdges();
    double cumulative = 0;
    for (int i = 0; i <= edges.length; i++) {
      if (i < edges.length) {
        cumulative += histogram[i] / total;
      }
      String le = i == edges.length ? "+Inf" : Double.toString(edges[i]);
      sb.append("      - series: 'sieve_router_category_score_bucket{category=\"")
          .append(category)
          .append("\",tier=\"")
          .append(tier)
          .append("\",le=\"")
          .append(le)
          .append("\"}'\n        values: '0+")
          .append(String.format(Locale.ROOT, "%.9f", cumulative * 20))
          .append('x')
          .append(minutes)
          .append("'\n");
    }
  }

  private static double psi(long[] card, long[] live) {
    double ct = Arrays.stream(card).sum();
    double lt = Arrays.stream(live).sum();
    double psi = 0;
    for (int i = 0; i < card.length; i++) {
      double e = Math.max(card[i] / ct, 1e-4);
      double a = Math.max(live[i] / lt, 1e-4);
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }

  private record Result(int code, String output) {}

  private static Result promtool(String... args) throws Exception {
    String configured = System.getProperty("sieve.promtool", System.getenv("SIEVE_PROMTOOL"));
    Path promtool =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Helm.repoRoot().resolve(".tools/prometheus/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      fail(
          "promtool not found at "
              + promtool
              + ". Run helm/tools/install-promtool.sh from the repository root"
              + " (./sieve test and CI run it), or point SIEVE_PROMTOOL at a promtool binary.");
    }
    List<String> command = new ArrayList<>();
    command.add(promtool.toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("promtool did not finish: " + command);
    }
    return new Result(p.exitValue(), output);
  }
}
