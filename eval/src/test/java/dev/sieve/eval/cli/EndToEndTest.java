package dev.sieve.eval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.cli.SieveCommand;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.eval.Fixtures;
import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.card.ModelCardGenerator;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.data.ProtectedSlices;
import dev.sieve.eval.gate.GateReport;
import dev.sieve.eval.gate.ReleaseGate;
import dev.sieve.eval.policy.EvaluationPolicy;
import dev.sieve.eval.report.CategoryResult;
import dev.sieve.eval.threshold.ThresholdSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole flow through the real CLI classes: a fixture dataset and a fixture tier (found by
 * ServiceLoader), `eval run` writes the card, `release check` passes it, and planted defects
 * (artifact changed, stale dataset, hand-edited card, regression, missed floor) make it fail.
 */
class EndToEndTest {

  static final String GOOD_FLOORS = "adult: {min_recall: 0.80}\nself_harm: {min_recall: 0.90}";

  @TempDir static Path home;
  static Path model;
  static String runOutput;

  static int run(String... args) {
    return new CommandLine(new EvalCommand()).execute(args);
  }

  static String capture(Runnable r) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  static void evalRun(Path h, Path modelDir, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--tier",
                "fixture",
                "--home",
                h.toString(),
                "--model-dir",
                modelDir.toString(),
                "--phrase-lists",
                Fixtures.phraseLists().toString()));
    args.addAll(List.of(extra));
    int[] code = new int[1];
    runOutput = capture(() -> code[0] = run(args.toArray(String[]::new)));
    assertThat(code[0]).as(runOutput).isZero();
  }

  @BeforeAll
  static void evaluateOnce() throws IOException {
    Fixtures.dataset(home, "ds-fixture-1");
    Files.writeString(home.resolve("release-gate.yaml"), Fixtures.policy(GOOD_FLOORS, "warn"));
    model = Fixtures.model(home, "url-fixture", "1.0.0", 0.9);
    evalRun(home, model);
  }

  static GateReport gate(Path modelDir) {
    return ReleaseGate.check(modelDir, home, EvaluationPolicy.resolve(null, home));
  }

  @Test
  void runWritesEveryOutputAndACardWithTheStandardSections() throws IOException {
    for (String f :
        List.of(
            "model-card.json",
            "model-card.md",
            "model-card.html",
            "thresholds.json",
            "calibration.json",
            "evaluation.json")) {
      assertThat(model.resolve(f)).as(f).isRegularFile();
    }
    ModelCard card = ModelCardGenerator.read(model.resolve(ModelCard.JSON));
    assertThat(card.evaluationData().datasetVersion()).isEqualTo("ds-fixture-1");
    assertThat(card.evaluationData().split()).isEqualTo("test");
    assertThat(card.modelDetails().artifacts())
        .singleElement()
        .satisfies(a -> assertThat(a.sha256()).hasSize(64));
    CategoryResult adult = card.quantitativeAnalyses().category("adult").orElseThrow();
    assertThat(adult.status()).isEqualTo("measured");
    assertThat(adult.recall().lower()).isNotNull();
    CategoryResult selfHarm = card.quantitativeAnalyses().category("self_harm").orElseThrow();
    assertThat(selfHarm.status())
        .isEqualTo("not_scored".equals(selfHarm.status()) ? "not_scored" : "insufficient_data");
    assertThat(card.executiveSummary().rows())
        .extracting(ModelCard.SummaryRow::category)
        .containsExactly("adult", "self_harm", "gambling"); // taxonomy order
    assertThat(card.baselines())
        .extracting(ModelCard.BaselineSummary::name)
        .containsExactly("exact_list", "e2guardian_phrases", "fixture_weak");
    assertThat(card.metrics().thresholds()).allSatisfy(t -> assertThat(t.rule()).isNotBlank());
    assertThat(ThresholdSet.read(model.resolve("thresholds.json")).selectedOn()).isEqualTo("dev");
    assertThat(card.factors().protectedSlices()).containsKeys("sex_education", "lgbtq");
    assertThat(card.quantitativeAnalyses().slices())
        .extracting(t -> t.dimension())
        .contains("protected", "source", "tld");
    String md = Files.readString(model.resolve("model-card.md"));
    assertThat(md)
        .startsWith("# Model card: url-fixture 1.0.0")
        .contains("## Executive summary")
        .contains("of 100")
        .contains("of 1,000")
        .contains("## 8. Baselines");
    String html = Files.readString(model.resolve("model-card.html"));
    assertThat(html)
        .contains("<svg")
        .doesNotContain("<script")
        .doesNotContain("src=")
        .doesNotContain("href=");
    assertThat(runOutput).contains("adult").contains("ordinary sites blocked");
  }

  @Test
  void sameInputsGiveAByteIdenticalCard(@TempDir Path other) throws IOException {
    Fixtures.dataset(other, "ds-fixture-1");
    Files.writeString(other.resolve("release-gate.yaml"), Fixtures.policy(GOOD_FLOORS, "warn"));
    Path copy = Fixtures.model(other, "url-fixture", "1.0.0", 0.9);
    evalRun(other, copy);
    for (String f :
        List.of(
            "model-card.json",
            "model-card.md",
            "model-card.html",
            "thresholds.json",
            "calibration.json",
            "evaluation.json")) {
      assertThat(Files.readAllBytes(copy.resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(model.resolve(f)));
    }
    byte[] md = Files.readAllBytes(copy.resolve("model-card.md"));
    byte[] html = Files.readAllBytes(copy.resolve("model-card.html"));
    assertThat(run("card", copy.toString())).isZero();
    assertThat(Files.readAllBytes(copy.resolve("model-card.md"))).isEqualTo(md);
    assertThat(Files.readAllBytes(copy.resolve("model-card.html"))).isEqualTo(html);
  }

  @Test
  void gatePassesTheGoodModelAndSaysSoThroughTheCli() {
    GateReport report = gate(model);
    assertThat(report.passed()).as(report.render()).isTrue();
    assertThat(report.render())
        .contains("PASS adult recall")
        .contains("(test split)")
        .contains("regression check skipped (first release)")
        .contains("RELEASE GATE PASSED");
    assertThat(report.findings())
        .anyMatch(
            f ->
                f.level() == GateReport.Level.WARN
                    && f.message().startsWith("self_harm recall not measured"));
    int code =
        new CommandLine(new ReleaseCommand())
            .execute("check", model.toString(), "--home", home.toString());
    assertThat(code).isZero();
  }

  @Test
  void gateFailsWhenTheArtifactChanged(@TempDir Path tmp) throws IOException {
    Path dir = copyModel(tmp, "1.0.0");
    Files.writeString(dir.resolve("model.bin"), "strength=0.1\n");
    GateReport report = gate(dir);
    assertThat(report.passed()).isFalse();
    assertThat(report.failures())
        .anyMatch(
            f ->
                f.message().startsWith("artifact model.bin SHA-256")
                    && f.message().contains("!= card's"));
    assertThat(
            new CommandLine(new ReleaseCommand())
                .execute("check", dir.toString(), "--home", home.toString()))
        .isEqualTo(1);
  }

  @Test
  void gateFailsOnAStaleDataset(@TempDir Path otherHome) throws IOException {
    Fixtures.dataset(otherHome, "ds-fixture-2");
    Files.writeString(otherHome.resolve("release-gate.yaml"), Fixtures.policy(GOOD_FLOORS, "warn"));
    GateReport report =
        ReleaseGate.check(model, otherHome, EvaluationPolicy.resolve(null, otherHome));
    assertThat(report.failures())
        .anyMatch(
            f ->
                f.message()
                    .contains(
                        "card was computed on dataset ds-fixture-1 but data/datasets/CURRENT is ds-fixture-2"));
  }

  @Test
  void gateFailsOnAHandEditedCard(@TempDir Path tmp) throws IOException {
    Path dir = copyModel(tmp, "1.0.0");
    String md = Files.readString(dir.resolve("model-card.md"));
    Files.writeString(
        dir.resolve("model-card.md"), md.replaceFirst("of 100", "of 100 (really 99!)"));
    assertThat(gate(dir).failures())
        .anyMatch(f -> f.message().startsWith("model-card.md is not the rendering"));
  }

  @Test
  void insufficientDataIsSaidExplicitlyAndCanBeMadeFatal() {
    EvaluationPolicy strict =
        EvaluationPolicy.parse(
            Fixtures.policy(
                "adult: {min_recall: 0.80}\nself_harm: {min_recall: 0.90, insufficient_data: fail}",
                "warn"));
    GateReport report = ReleaseGate.check(model, home, strict);
    assertThat(report.passed()).isFalse();
    assertThat(report.failures())
        .singleElement()
        .asString()
        .isEqualTo(
            "FAIL self_harm recall not measured: insufficient data (0 positives < 30 in test split); policy says fail");
  }

  @Test
  void gateFailsOnAPlantedRegressionAgainstTheReleasedVersion(@TempDir Path h) throws IOException {
    Fixtures.dataset(h, "ds-fixture-1");
    Files.writeString(h.resolve("release-gate.yaml"), Fixtures.policy(GOOD_FLOORS, "warn"));
    Path released = Fixtures.model(h, "url-fixture", "0.9.0", 0.9);
    evalRun(h, released, "--no-previous");
    Files.writeString(h.resolve("models/url-fixture/RELEASED"), "0.9.0\n");
    Path candidate = Fixtures.model(h, "url-fixture", "1.1.0", 0.35); // weaker keyword signal
    evalRun(h, candidate);
    ModelCard card = ModelCardGenerator.read(candidate.resolve(ModelCard.JSON));
    assertThat(card.baselines())
        .anyMatch(b -> b.name().equals("previous_release") && b.sameSplit());
    GateReport report = ReleaseGate.check(candidate, h, EvaluationPolicy.resolve(null, h));
    assertThat(report.passed()).isFalse();
    assertThat(report.failures())
        .anyMatch(
            f ->
                f.toString()
                    .matches(
                        "FAIL (adult|gambling) (recall|auprc) 0\\.\\d{3} < previous [01]\\.\\d{3} - tolerance 0\\.030 "
                            + "\\(test split, vs 0\\.9\\.0 re-scored on the same split\\)"));
    // The floor message names category, metric, measured value, floor and split.
    assertThat(report.failures())
        .anyMatch(
            f ->
                f.toString()
                    .matches("FAIL adult recall 0\\.\\d{3} < floor 0\\.800 \\(test split\\)"));
    // The released version itself passes (no regression against itself).
    assertThat(ReleaseGate.check(released, h, EvaluationPolicy.resolve(null, h)).passed()).isTrue();
  }

  @Test
  void thresholdsComeFromDevEvenWhenTestWouldChooseDifferently(@TempDir Path tmp)
      throws IOException {
    // Dev: positives 0.6, negatives 0.4. Test: positives 0.3, negatives 0.1. A threshold tuned on
    // test would be 0.3 and show perfect recall; the honest one (dev) is 0.6 and misses everything.
    var slices = ProtectedSlices.none();
    var ds = DatasetVersion.current(home.resolve("data/datasets"));
    StringBuilder sb = new StringBuilder();
    for (String split : List.of("dev", "test")) {
      for (var e :
          DatasetExamples.load(
              ds,
              EnumSet.of(DatasetExamples.Inputs.DOMAINS, DatasetExamples.Inputs.BACKGROUND),
              split,
              slices)) {
        double s = (e.positive("gambling") ? 0.6 : 0.4) - (split.equals("test") ? 0.3 : 0.0);
        sb.append("{\"id\":\"")
            .append(e.id())
            .append("\",\"scores\":{\"gambling\":")
            .append(s)
            .append("}}\n");
      }
    }
    Path preds = tmp.resolve("preds.jsonl");
    Files.writeString(preds, sb.toString());
    Path out = tmp.resolve("out");
    int[] code = new int[1];
    String log =
        capture(
            () ->
                code[0] =
                    run(
                        "run",
                        "--tier",
                        "fixture",
                        "--home",
                        home.toString(),
                        "--out",
                        out.toString(),
                        "--predictions",
                        preds.toString(),
                        "--categories",
                        "gambling",
                        "--no-calibration",
                        "--phrase-lists",
                        "none",
                        "--no-exact-list"));
    assertThat(code[0]).as(log).isZero();
    ThresholdSet t = ThresholdSet.read(out.resolve("thresholds.json"));
    assertThat(t.categories().get("gambling").threshold()).isEqualTo(0.6);
    assertThat(t.scoreSpace()).isEqualTo("raw");
    String eval = Files.readString(out.resolve("evaluation.json"));
    assertThat(eval).contains("\"tp\" : 0");
    assertThat(out.resolve("model-card.json")).doesNotExist(); // no metadata given: no card
  }

  @Test
  void commandsAreRegisteredForTheSieveCli() {
    List<String> names = new ArrayList<>();
    for (SieveCommand c : ServiceLoader.load(SieveCommand.class)) {
      names.add(new CommandLine(c).getCommandName());
    }
    assertThat(names).contains("eval", "release", "explain");
    CommandLine release = new CommandLine(new ReleaseCommand());
    assertThat(release.getSubcommands()).containsKey("check");
    assertThat(new CommandLine(new EvalCommand()).getSubcommands())
        .containsKeys("run", "card", "drift");
  }

  @Test
  void driftAgainstTheCard(@TempDir Path tmp) throws IOException {
    Path live = tmp.resolve("live.jsonl");
    StringBuilder sb = new StringBuilder();
    // 600: drift is judged from DriftAnalysis.MIN_LIVE (500) live scores; fewer are reported as too
    // few.
    for (int i = 0; i < 600; i++) {
      sb.append("{\"id\":\"x")
          .append(i)
          .append("\",\"scores\":{\"gambling\":0.97,\"adult\":0.96}}\n");
    }
    Files.writeString(live, sb.toString());
    String[] out = new String[1];
    int[] code = new int[1];
    out[0] =
        capture(
            () ->
                code[0] =
                    run(
                        "drift",
                        model.toString(),
                        "--scores",
                        live.toString(),
                        "--fail-psi",
                        "0.25"));
    assertThat(code[0]).isEqualTo(1);
    assertThat(out[0]).containsPattern("gambling +600 .* act");
  }

  @Test
  void cliReportsBadInputAsAnErrorLine() {
    int code =
        run(
            "run",
            "--tier",
            "no-such-tier",
            "--home",
            home.toString(),
            "--out",
            home.resolve("x").toString());
    assertThat(code).isEqualTo(1);
    assertThat(
            run(
                "run",
                "--tier",
                "fixture",
                "--split",
                "dev",
                "--home",
                home.toString(),
                "--out",
                home.resolve("x").toString()))
        .isEqualTo(1);
  }

  private static Path copyModel(Path tmp, String version) throws IOException {
    Path dir = tmp.resolve("models/url-fixture").resolve(version);
    Files.createDirectories(dir);
    try (var files = Files.list(model)) {
      for (Path p : files.toList()) {
        Files.copy(p, dir.resolve(p.getFileName()));
      }
    }
    return dir;
  }
}
