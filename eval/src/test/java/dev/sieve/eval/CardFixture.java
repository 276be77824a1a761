package dev.sieve.eval;

import dev.sieve.eval.card.CardInputs;
import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.card.ModelCardGenerator;
import dev.sieve.eval.card.ModelMetadata;
import dev.sieve.eval.report.EvaluationResult;
import dev.sieve.eval.threshold.ThresholdChoice;
import dev.sieve.eval.threshold.ThresholdSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A test split built item group by item group ("200 user posts, 10 of them flagged adult"), and the
 * model card the real generator writes for it: how the release-gate tests get cards whose numbers
 * they know exactly. Every category is scored (0.9 where flagged, 0.1 elsewhere) at threshold 0.5.
 */
public final class CardFixture {

  /**
   * The v2 gate keys at issue #11's values (adult 1%, other blocking categories 0.5%, false alerts
   * 1%, LOSO recall 0.5 on sources with 30 positives, crisis help never blocked by the fleet), with
   * one recall floor (adult 0.85): a release-gate.yaml for fixture repositories.
   */
  public static final String V2_POLICY =
      """
      version: 1
      gate:
        split: test
        insufficient_data: warn
        protected_not_above_background: true
        background_ceilings:
          default_ceiling: 0.005
          categories: {adult: 0.01}
          min_group_items: 100
        max_false_alert_rate: 0.01
        loso: {min_recall: 0.5, min_positives: 30}
        zero_block_slices: [mental_health_help]
        categories:
          adult: {min_recall: 0.85}
      """;

  public static final double FLAGGED = 0.9;
  public static final double NOT_FLAGGED = 0.1;

  private final List<String> categories;
  private final List<Example> examples = new ArrayList<>();
  private final Map<String, List<Double>> scores = new LinkedHashMap<>();
  private final List<Boolean> blocked = new ArrayList<>();
  private final List<Boolean> alerted = new ArrayList<>();

  public CardFixture(String... categories) {
    this.categories = List.of(categories);
    for (String c : categories) {
      scores.put(c, new ArrayList<>());
    }
  }

  /**
   * {@code n} test inputs of one kind ("text", "html", "url") from one source.
   *
   * @param ordinary background (label scope "*") rather than labelled only for {@code labels}
   * @param protectedSlices protected slices they belong to
   * @param flaggedIn categories whose score is over the threshold
   */
  public CardFixture add(
      int n,
      String input,
      String source,
      boolean ordinary,
      List<String> labels,
      List<String> protectedSlices,
      Set<String> flaggedIn) {
    return add(n, input, source, ordinary, labels, protectedSlices, flaggedIn, false, false);
  }

  /** As above, with what the served verdict did (a fleet card: router action and alert). */
  public CardFixture add(
      int n,
      String input,
      String source,
      boolean ordinary,
      List<String> labels,
      List<String> protectedSlices,
      Set<String> flaggedIn,
      boolean servedBlock,
      boolean servedAlert) {
    for (int i = 0; i < n; i++) {
      Map<String, List<String>> slices = new TreeMap<>();
      slices.put("input", List.of(input));
      slices.put("source", List.of(source));
      if (!protectedSlices.isEmpty()) {
        slices.put("protected", protectedSlices);
      }
      String id = input + ":" + source + "/" + examples.size();
      examples.add(
          new Example(
              id,
              id,
              "test",
              Set.copyOf(labels),
              ordinary ? Set.of("*") : Set.copyOf(labels),
              slices,
              Map.of(source, labels),
              List.of(),
              ordinary));
      for (String c : categories) {
        scores.get(c).add(flaggedIn.contains(c) ? FLAGGED : NOT_FLAGGED);
      }
      blocked.add(servedBlock);
      alerted.add(servedAlert);
    }
    return this;
  }

  public List<Example> examples() {
    return List.copyOf(examples);
  }

  public Scores scores() {
    Map<String, double[]> out = new LinkedHashMap<>();
    scores.forEach((c, v) -> out.put(c, v.stream().mapToDouble(Double::doubleValue).toArray()));
    return Scores.of(out, examples.size());
  }

  public Evaluator.Served served() {
    boolean[] b = new boolean[blocked.size()];
    boolean[] a = new boolean[alerted.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = blocked.get(i);
      a[i] = alerted.get(i);
    }
    return new Evaluator.Served(b, a);
  }

  /**
   * The evaluation of the split at threshold 0.5 (with the served outcomes when {@code served}).
   */
  public EvaluationResult evaluate(boolean served) {
    Map<String, Double> t = new LinkedHashMap<>();
    categories.forEach(c -> t.put(c, 0.5));
    return Evaluator.evaluate(
        examples,
        scores(),
        null,
        t,
        EvalOptions.defaults().withBootstrap(0, 1),
        served ? served() : null);
  }

  /**
   * Evaluates, writes thresholds.json (selected on dev) and generates the card in {@code dir},
   * whose {@code artifacts} must exist. {@code inputs} are the dataset files the card says it used.
   */
  public ModelCard card(
      Path dir,
      String name,
      String tier,
      List<String> inputs,
      List<String> artifacts,
      String datasetVersion,
      boolean served) {
    Map<String, ThresholdChoice> choices = new TreeMap<>();
    categories.forEach(
        c ->
            choices.put(
                c,
                new ThresholdChoice(
                    c, 0.5, "fixed", "fixed", List.of(), 0, 0, null, null, null, null, null,
                    null)));
    ThresholdSet set = new ThresholdSet(ThresholdSet.FORMAT, "dev", datasetVersion, "raw", choices);
    set.write(dir.resolve(ThresholdSet.FILE));
    Map<String, String> prot = new TreeMap<>();
    examples.forEach(e -> e.slice("protected").forEach(p -> prot.put(p, p + " (fixture)")));
    ModelMetadata meta =
        new ModelMetadata(
            name,
            dir.getFileName().toString(),
            "2026-01-01",
            tier,
            "fixture scorer",
            "none",
            Map.of("fixture", true),
            "0123456789abcdef",
            "Apache-2.0",
            "eval team",
            "eval@example.org",
            artifacts,
            datasetVersion,
            "none",
            "none",
            null,
            null,
            null,
            null,
            null);
    CardInputs in =
        new CardInputs(
            meta,
            dir,
            evaluate(served),
            set,
            null,
            datasetVersion,
            "",
            "",
            inputs,
            List.of(),
            List.of(),
            List.of(),
            prot,
            "in-process (fixture)",
            List.of());
    return ModelCardGenerator.generate(in).card();
  }

  /** A model directory with one artifact file, ready for {@link #card}. */
  public static Path modelDir(Path home, String name, String version) {
    Path dir = home.resolve("models").resolve(name).resolve(version);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("weights.bin"), "weights of " + name + " " + version + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }
}
