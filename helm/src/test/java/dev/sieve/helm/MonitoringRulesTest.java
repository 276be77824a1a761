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
import dev.sieve.eval.report.CategoryResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's monitoring: the Prometheus rule files pass {@code promtool check rules}; the drift
 * reference is the released fleet card's; {@code promtool test rules} shows the drift alert firing
 * for traffic from another source than the card's (a measured classify-batch run over a gambling
 * blocklist) and staying silent for traffic shaped like the card, and the breaker alert firing; the
 * PrometheusRule and the dashboard render only when enabled, carry exactly the files, and the
 * dashboard references only metrics the services export or the rules record.
 *
 * <p>promtool comes from {@code helm/tools/install-promtool.sh} ({@code ./sieve test} runs it) or
 * SIEVE_PROMTOOL; without it this test fails, as the metrics lint does.
 */
class MonitoringRulesTest {

  private static final Path MONITORING = Helm.chartDir().resolve("monitoring");
  private static final Path ALERTS = MONITORING.resolve("sieve-alerts.rules.yaml");
  private static final Path REFERENCE = MONITORING.resolve("sieve-drift-reference.rules.yaml");
  private static final Path DASHBOARD = MONITORING.resolve("sieve-dashboard.json");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Fresh verdicts per minute in the planted traffic: 1200 an hour, above the alerts' 500 minimum.
   */
  private static final double PER_MINUTE = 20;

  @Test
  void ruleFilesPassPromtool() throws Exception {
    for (Path file : List.of(ALERTS, REFERENCE)) {
      Result r = promtool("check", "rules", file.toString());
      assertThat(r.code).as("promtool check rules %s:\n%s", file.getFileName(), r.output).isZero();
      assertThat(r.output).contains("SUCCESS");
    }
  }

  @Test
  void driftReferenceIsTheReleasedFleetCards() throws IOException {
    ModelCard card = releasedFleetCard();
    assertThat(Files.readString(REFERENCE))
        .as(
            "regenerate: ./sieve eval drift-rules models/sieve-fleet/$(cat models/sieve-fleet/RELEASED) --out %s",
            REFERENCE)
        .isEqualTo(DriftRules.generate(card, "merged", EvalDriftRulesCommand.COMMAND));
  }

  @Test
  void driftAlertFiresForTrafficFromAnotherSourceAndNotForTrafficLikeTheCard() throws Exception {
    ModelCard card = releasedFleetCard();
    JsonNode measured =
        JSON.readTree(
            Files.readString(
                Path.of("src/test/resources/drift/gambling-blocklist-histograms.json")));
    long[] gamblingElsewhere = counts(measured.path("histograms").path("gambling"));
    long[] gamblingCard = category(card, "gambling").scoreHistogram();
    long[] newsCard = category(card, "news").scoreHistogram();
    double psi = promqlPsi(gamblingCard, gamblingElsewhere);
    assertThat(psi).as("the planted shift is a large one").isGreaterThan(0.25);

    Map<String, Object> alerts = rules();
    String severe = annotation(alerts, "SieveScoreDriftSevere", "summary");
    String severeDescription = annotation(alerts, "SieveScoreDriftSevere", "description");
    String watch = annotation(alerts, "SieveScoreDrift", "summary");
    String watchDescription = annotation(alerts, "SieveScoreDrift", "description");

    StringBuilder test = new StringBuilder();
    test.append("rule_files:\n  - ")
        .append(REFERENCE.toAbsolutePath())
        .append("\n  - ")
        .append(ALERTS.toAbsolutePath())
        .append("\nevaluation_interval: 1m\ntests:\n");
    // 1. Both categories shaped like the card: no drift alert.
    test.append("  - interval: 1m\n    input_series:\n");
    series(test, "gambling", gamblingCard);
    series(test, "news", newsCard);
    test.append("    alert_rule_test:\n");
    for (String alert : List.of("SieveScoreDrift", "SieveScoreDriftSevere")) {
      test.append("      - eval_time: 100m\n        alertname: ")
          .append(alert)
          .append("\n        exp_alerts: []\n");
    }
    // 2. gambling from the blocklist run, news still like the card: both drift alerts fire for
    // gambling only.
    test.append("  - interval: 1m\n    input_series:\n");
    series(test, "gambling", gamblingElsewhere);
    series(test, "news", newsCard);
    test.append("    alert_rule_test:\n");
    test.append(
        "      - eval_time: 20m\n        alertname: SieveScoreDriftSevere\n        exp_alerts: []\n");
    for (String[] alert :
        List.of(
            new String[] {"SieveScoreDriftSevere", "critical", severe, severeDescription},
            new String[] {"SieveScoreDrift", "warning", watch, watchDescription})) {
      test.append("      - eval_time: 100m\n        alertname: ")
          .append(alert[0])
          .append('\n')
          .append("        exp_alerts:\n          - exp_labels:\n              severity: ")
          .append(alert[1])
          .append("\n              category: gambling\n            exp_annotations:\n")
          .append("              summary: ")
          .append(quote(render(alert[2], "gambling", psi)))
          .append('\n')
          .append("              description: ")
          .append(quote(render(alert[3], "gambling", psi)))
          .append('\n')
          .append("              runbook: ")
          .append(quote(annotation(alerts, alert[0], "runbook")))
          .append('\n');
    }
    // 3. An open breaker for three minutes raises SieveCircuitBreakerOpen after its 2 minutes.
    test.append("  - interval: 1m\n    input_series:\n")
        .append(
            "      - series: 'sieve_router_breaker_state{application=\"router\",tier=\"content\",state=\"open\"}'\n")
        .append("        values: '0 0 1 1 1 1 1 1'\n")
        .append(
            "      - series: 'sieve_router_breaker_state{application=\"router\",tier=\"url\",state=\"open\"}'\n")
        .append("        values: '0 0 0 0 0 0 0 0'\n")
        .append(
            "    alert_rule_test:\n      - eval_time: 3m\n        alertname: SieveCircuitBreakerOpen\n        exp_alerts: []\n")
        .append(
            "      - eval_time: 5m\n        alertname: SieveCircuitBreakerOpen\n        exp_alerts:\n")
        .append(
            "          - exp_labels:\n              severity: critical\n              tier: content\n")
        .append("            exp_annotations:\n              summary: ")
        .append(
            quote(
                annotation(alerts, "SieveCircuitBreakerOpen", "summary")
                    .replace("{{ $labels.tier }}", "content")))
        .append("\n              description: ")
        .append(
            quote(
                annotation(alerts, "SieveCircuitBreakerOpen", "description")
                    .replace("{{ $labels.tier }}", "content")))
        .append("\n              runbook: ")
        .append(quote(annotation(alerts, "SieveCircuitBreakerOpen", "runbook")))
        .append('\n');

    Path dir = Files.createDirectories(Path.of("target/promtool-tests"));
    Path file = dir.resolve("drift-alerts.test.yaml");
    Files.writeString(file, test, StandardCharsets.UTF_8);
    Result r = promtool("test", "rules", file.toString());
    assertThat(r.code)
        .as("promtool test rules %s (PSI of the planted shift %.4f):\n%s", file, psi, r.output)
        .isZero();
  }

  @Test
  void chartRendersThePrometheusRuleAndTheDashboardOnlyWhenEnabled() throws IOException {
    Manifests defaults = Renders.defaults();
    assertThat(defaults.ofKind("PrometheusRule")).isEmpty();
    assertThat(defaults.ofKind("ConfigMap"))
        .noneMatch(c -> c.path("data").has("sieve-dashboard.json"));

    Manifests production = Renders.production();
    List<JsonNode> rules = production.ofKind("PrometheusRule");
    assertThat(rules).hasSize(1);
    JsonNode rule = rules.get(0);
    assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.path("metadata").path("labels").path("release").asText())
        .isEqualTo("kube-prometheus-stack");
    List<JsonNode> expected = new ArrayList<>();
    YAML.readTree(REFERENCE.toFile()).path("groups").forEach(expected::add);
    for (String tier : List.of("url", "content")) {
      YAML.readTree(MONITORING.resolve("sieve-drift-reference-" + tier + ".rules.yaml").toFile())
          .path("groups")
          .forEach(expected::add);
    }
    YAML.readTree(ALERTS.toFile()).path("groups").forEach(expected::add);
    List<JsonNode> rendered = new ArrayList<>();
    rule.path("spec").path("groups").forEach(rendered::add);
    assertThat(rendered)
        .as("the PrometheusRule carries the rule files' groups unchanged")
        .isEqualTo(expected);

    List<JsonNode> dashboards =
        production.ofKind("ConfigMap").stream()
            .filter(c -> c.path("data").has("sieve-dashboard.json"))
            .toList();
    assertThat(dashboards).hasSize(1);
    assertThat(dashboards.get(0).path("metadata").path("labels").path("grafana_dashboard").asText())
        .isEqualTo("1");
    assertThat(JSON.readTree(dashboards.get(0).path("data").path("sieve-dashboard.json").asText()))
        .isEqualTo(JSON.readTree(DASHBOARD.toFile()));
  }

  /**
   * Every metric the dashboard and the alert rules query is one the services export (named in the
   * list below, which {@code ServiceImagesTest} checks against the real expositions) or one a rule
   * records; and every panel has a query.
   */
  @Test
  void dashboardParsesAndQueriesOnlyMetricsThatExist() throws IOException {
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
    assertThat(dashboard.path("panels")).isNotEmpty();
    Set<String> recorded = new TreeSet<>();
    for (Path file : List.of(ALERTS, REFERENCE)) {
      for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
        for (JsonNode r : group.path("rules")) {
          if (r.has("record")) {
            recorded.add(r.path("record").asText());
          }
        }
      }
    }
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("targets")).as("panel %s", panel.path("title").asText()).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        queried.addAll(metricNames(target.path("expr").asText()));
      }
    }
    for (JsonNode group : YAML.readTree(ALERTS.toFile()).path("groups")) {
      for (JsonNode r : group.path("rules")) {
        queried.addAll(metricNames(r.path("expr").asText()));
      }
    }
    Set<String> unknown = new TreeSet<>(queried);
    unknown.removeAll(recorded);
    unknown.removeAll(ExportedMetrics.NAMES);
    assertThat(unknown).as("queried metrics that no service exports and no rule records").isEmpty();
  }

  /**
   * Metric names in a PromQL expression: identifiers followed by { or [ or a space, minus functions
   * and keywords.
   */
  static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    String withoutStrings = expr.replaceAll("\"[^\"]*\"", "\"\"");
    Matcher m = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{|\\[)").matcher(withoutStrings);
    while (m.find()) {
      names.add(m.group(1));
    }
    Matcher bare =
        Pattern.compile("(?<![\\w:$])((?:sieve|jvm|process)[a-zA-Z0-9_:]*)(?![\\w:(])")
            .matcher(withoutStrings);
    while (bare.find()) {
      names.add(bare.group(1));
    }
    return names;
  }

  // ------------------------------------------------------------------ helpers

  private static ModelCard releasedFleetCard() throws IOException {
    Path fleet = Helm.repoRoot().resolve("models/sieve-fleet");
    return ModelCardGenerator.read(
        fleet.resolve(Files.readString(fleet.resolve("RELEASED")).strip()).resolve(ModelCard.JSON));
  }

  private static CategoryResult category(ModelCard card, String id) {
    return card.quantitativeAnalyses().categories().stream()
        .filter(c -> c.category().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private static long[] counts(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  /**
   * Cumulative bucket series growing by {@link #PER_MINUTE} scores a minute in the histogram's
   * shares.
   */
  private static void series(StringBuilder sb, String category, long[] histogram) {
    double total = Arrays.stream(histogram).sum();
    double[] edges = ScoreBins.upperEdges();
    double cumulative = 0;
    for (int i = 0; i <= edges.length; i++) {
      if (i < edges.length) {
        cumulative += histogram[i] / total;
      }
      String le = i == edges.length ? "+Inf" : Double.toString(edges[i]);
      sb.append(
              "      - series: 'sieve_router_category_score_bucket{application=\"router\",category=\"")
          .append(category)
          .append("\",tier=\"merged\",le=\"")
          .append(le)
          .append("\"}'\n")
          .append("        values: '0+")
          .append(String.format(Locale.ROOT, "%.9f", cumulative * PER_MINUTE))
          .append("x120'\n");
    }
  }

  /**
   * PSI as the recording rule computes it: live and card shares floored at 1e-4, not renormalized;
   * card shares as the rule file rounds them.
   */
  private static double promqlPsi(long[] card, long[] live) {
    double ct = Arrays.stream(card).sum();
    double lt = Arrays.stream(live).sum();
    double psi = 0;
    for (int i = 0; i < card.length; i++) {
      double e =
          Math.max(Double.parseDouble(String.format(Locale.ROOT, "%.6g", card[i] / ct)), 1e-4);
      double a = Math.max(live[i] / lt, 1e-4);
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> rules() throws IOException {
    Map<String, Object> byAlert = new LinkedHashMap<>();
    for (JsonNode group : YAML.readTree(ALERTS.toFile()).path("groups")) {
      for (JsonNode r : group.path("rules")) {
        if (r.has("alert")) {
          byAlert.put(r.path("alert").asText(), r);
        }
      }
    }
    return byAlert;
  }

  private static String annotation(Map<String, Object> alerts, String alert, String key) {
    JsonNode rule = (JsonNode) alerts.get(alert);
    if (rule == null) {
      fail("no alert " + alert + " in " + ALERTS);
    }
    return rule.path("annotations").path(key).asText();
  }

  /** The two template forms the drift annotations use. */
  private static String render(String template, String category, double psi) {
    return template
        .replace("{{ $labels.category }}", category)
        .replace("{{ $value | printf \"%.3f\" }}", String.format(Locale.ROOT, "%.3f", psi));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
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
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("promtool did not finish: " + command);
    }
    return new Result(p.exitValue(), output);
  }
}
