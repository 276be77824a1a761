package dev.sieve.eval.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.eval.EvalOptions;
import dev.sieve.eval.Evaluator;
import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import dev.sieve.eval.report.EvaluationResult;
import dev.sieve.eval.threshold.DevSplit;
import dev.sieve.eval.threshold.ThresholdPolicy;
import dev.sieve.eval.threshold.ThresholdSelector;
import dev.sieve.eval.threshold.ThresholdSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The path a trainer takes with plain arrays: select on dev, evaluate test, generate the card. */
class ModelCardApiTest {

  static List<Example> split(String split, int n) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean bg = i % 2 == 1;
      out.add(
          new Example(
              split + i,
              (bg ? "site" : "bet") + i + ".example",
              split,
              bg ? Set.of() : Set.of("gambling"),
              bg ? Set.of("*") : Set.of("gambling"),
              Map.of("input", List.of("url")),
              Map.of("ut1/gambling", List.of("gambling")),
              List.of(),
              bg));
    }
    return out;
  }

  static double[] scores(int n, int salt) {
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      double noise = (((i * 7919 + salt) % 101) / 100.0 - 0.5) * 0.5;
      s[i] = Math.min(1, Math.max(0, (i % 2 == 0 ? 0.7 : 0.3) + noise));
    }
    return s;
  }

  static ModelCardGenerator.CardFiles generate(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("weights.bin"), "w");
    EvalOptions o = EvalOptions.defaults().withBootstrap(100, 5);
    List<Example> dev = split("dev", 200);
    List<Example> test = split("test", 200);
    ThresholdSet t =
        ThresholdSelector.select(
            DevSplit.of(dev, Scores.of(Map.of("gambling", scores(200, 1)), 200)),
            ThresholdPolicy.maxF1Everywhere(),
            o,
            "ds-api",
            "raw");
    EvaluationResult r =
        Evaluator.evaluate(test, Scores.of(Map.of("gambling", scores(200, 2)), 200), t.values(), o);
    ModelMetadata meta =
        new ModelMetadata(
            "url-api",
            "2.0.0",
            "2025-11-20",
            "url",
            "logistic regression",
            "SGD",
            Map.of("lr", 0.1, "epochs", 3),
            "abc",
            "Apache-2.0",
            "me",
            "me@example.org",
            List.of("weights.bin"),
            "ds-api",
            "balanced",
            "none",
            null,
            null,
            null,
            null,
            null);
    return ModelCardGenerator.generate(CardInputs.minimal(meta, dir, r, t, "ds-api"));
  }

  @Test
  void trainerApiGeneratesAByteIdenticalCardTwice(@TempDir Path tmp) throws Exception {
    ModelCardGenerator.CardFiles a = generate(tmp.resolve("a"));
    ModelCardGenerator.CardFiles b = generate(tmp.resolve("b"));
    assertThat(Files.readAllBytes(a.json())).isEqualTo(Files.readAllBytes(b.json()));
    assertThat(Files.readAllBytes(a.markdown())).isEqualTo(Files.readAllBytes(b.markdown()));
    assertThat(Files.readAllBytes(a.html())).isEqualTo(Files.readAllBytes(b.html()));
    String json = Files.readString(a.json());
    assertThat(json).doesNotContain("NaN").contains("\"schema\" : \"sieve-model-card/1\"");
    // Keys are sorted: "baselines" comes before "caveats" before "executive_summary".
    assertThat(json.indexOf("\"baselines\"")).isLessThan(json.indexOf("\"caveats\""));
    assertThat(json.indexOf("\"caveats\"")).isLessThan(json.indexOf("\"executive_summary\""));
    ModelCard card = a.card();
    ModelCard.SummaryRow row = card.executiveSummary().rows().get(0);
    double recall = card.quantitativeAnalyses().category("gambling").orElseThrow().recall().value();
    double bg =
        card.quantitativeAnalyses().category("gambling").orElseThrow().backgroundFlagRate().value();
    assertThat(row.catchesPer100()).isEqualTo(Math.round(recall * 100));
    assertThat(row.wronglyFlagsPer1000()).isEqualTo(Math.round(bg * 1000));
    assertThat(Files.readString(a.markdown()))
        .contains("| Gambling (gambling) | block | " + row.catchesPer100() + " of 100 |");
    assertThat(card.modelDetails().hyperparameters()).containsKeys("epochs", "lr");
  }

  @Test
  void aMissingArtifactIsAnError(@TempDir Path tmp) {
    ModelMetadata meta =
        new ModelMetadata(
            "m",
            "1",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of("missing.bin"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    EvaluationResult r =
        Evaluator.evaluate(
            split("test", 4),
            Scores.of(Map.of("gambling", scores(4, 1)), 4),
            Map.of("gambling", 0.5),
            EvalOptions.defaults().withBootstrap(0, 1));
    ThresholdSet t = new ThresholdSet(ThresholdSet.FORMAT, "dev", "ds", "raw", Map.of());
    assertThatThrownBy(() -> ModelCardGenerator.build(CardInputs.minimal(meta, tmp, r, t, "ds")))
        .hasMessageContaining("artifact missing.bin");
    assertThatThrownBy(
            () ->
                new ModelMetadata(
                    "m",
                    "1",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    List.of("../escape.bin"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
        .hasMessageContaining("inside the model directory");
  }

  @Test
  void theActionColumnIsThePolicysAndASelfCalibratedModelShowsItsServedEce(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("m");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("weights.bin"), "w");
    // A policy that allows gambling (a tenant's choice): the card must say so, not the taxonomy's
    // block.
    Path policy = tmp.resolve("policy.yaml");
    Files.writeString(
        policy,
        """
        id: p
        version: "1"
        categories:
          gambling: {action: ALLOW, alert: true}
        emerging:
          default: {threshold: 0.7, action: ALLOW}
        """);
    EvalOptions o = EvalOptions.defaults().withBootstrap(0, 5);
    List<Example> test = split("test", 200);
    EvaluationResult r =
        Evaluator.evaluate(
            test, Scores.of(Map.of("gambling", scores(200, 2)), 200), Map.of("gambling", 0.5), o);
    ThresholdSet t = new ThresholdSet(ThresholdSet.FORMAT, "dev", "ds-api", "raw", Map.of());
    ModelMetadata meta =
        new ModelMetadata(
            "url-api",
            "2.0.0",
            "2025-11-20",
            "url",
            "logistic regression",
            "SGD; Platt calibration and thresholds on dev",
            Map.of("lr", 0.1),
            "abc",
            "Apache-2.0",
            "me",
            "me@example.org",
            List.of("weights.bin"),
            "ds-api",
            "balanced",
            "none",
            null,
            null,
            null,
            null,
            null);
    CardInputs min = CardInputs.minimal(meta, dir, r, t, "ds-api");
    CardInputs in =
        new CardInputs(
            min.metadata(),
            dir,
            r,
            t,
            null,
            "ds-api",
            "",
            "",
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            Map.of(),
            "test",
            List.of(),
            ServedActions.read(policy));
    ModelCard card = ModelCardGenerator.generate(in).card();

    assertThat(card.executiveSummary().rows().get(0).action()).isEqualTo("allow + alert");
    ModelCard.CalibrationRow cal = card.calibration().categories().get(0);
    assertThat(cal.method()).isEqualTo(ModelCardGenerator.SELF_CALIBRATED);
    assertThat(cal.reason())
        .startsWith("calibrated by its trainer: Platt calibration and thresholds on dev");
    assertThat(cal.eceBefore()).isNull();
    assertThat(cal.eceAfter()).isEqualTo(r.categories().get(0).ece());
    assertThat(Files.readString(dir.resolve(ModelCard.MARKDOWN)))
        .doesNotContain("no calibration applied");

    // Without a policy file the taxonomy's proposals stand; an unknown category is an emerging one.
    assertThat(ServedActions.taxonomyDefaults().actionOf("gambling")).isEqualTo("block");
    assertThat(ServedActions.read(policy).actionOf("ai_chatbots")).isEqualTo("allow (emerging)");
  }
}
