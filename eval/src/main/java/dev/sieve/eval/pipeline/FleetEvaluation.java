package dev.sieve.eval.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.Sha256;
import dev.sieve.eval.EvalOptions;
import dev.sieve.eval.Evaluator;
import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import dev.sieve.eval.card.CardInputs;
import dev.sieve.eval.card.Json;
import dev.sieve.eval.card.ModelCardGenerator;
import dev.sieve.eval.card.ModelMetadata;
import dev.sieve.eval.card.ServedActions;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.data.ProtectedSlices;
import dev.sieve.eval.policy.EvaluationPolicy;
import dev.sieve.eval.report.EvaluationResult;
import dev.sieve.eval.scoring.ClassifierSource;
import dev.sieve.eval.scoring.Predictions;
import dev.sieve.eval.threshold.ThresholdChoice;
import dev.sieve.eval.threshold.ThresholdSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The fleet card: the served verdict (router + every tier + the default policy) measured like a
 * model, because that is what students meet. It answers the questions a model card cannot: how
 * often the whole fleet blocks ordinary texts, pages and sites, how much harmful text it catches
 * once tiers are merged and the policy (help yields, fail-closed, overrides) is applied, and
 * whether crisis-help pages are ever blocked.
 *
 * <p>The "model" is a directory {@code models/sieve-fleet/<version>/} whose artifacts pin what was
 * measured: {@code policy.yaml} (a copy of the router's policy) and {@code fleet.json} (every tier
 * model's RELEASED version and the SHA-256 of its served thresholds and configuration). The version
 * is a hash of both, so any model or policy change makes a new fleet version, and the release gate
 * fails a fleet card whose lineage no longer matches the repository (stale).
 *
 * <p>Inputs: the test split of ordinary and labelled texts, real pages, and ordinary (background)
 * sites. Labelled host lists are the URL card's business: their test split is grouped by unseen
 * registered domains, a URL-tier question.
 */
public final class FleetEvaluation {

  public static final String MODEL_NAME = "sieve-fleet";
  public static final String FLEET_FILE = "fleet.json";
  public static final String POLICY_FILE = "policy.yaml";

  /** The router's embedded default policy, relative to the repository root. */
  public static final String DEFAULT_POLICY = "router/src/main/resources/default-policy.yaml";

  /**
   * Options.
   *
   * @param home repository root (data/, models/, release-gate.yaml)
   * @param router host:port of the router's Classifier
   * @param policyFile the policy the router runs (null = its embedded default)
   * @param concurrency concurrent Classify calls
   * @param deadline per-call deadline
   * @param limit at most this many examples per input kind (deterministic sample; 0 = all)
   * @param release point models/sieve-fleet/RELEASED at the new version
   */
  public record Options(
      Path home,
      String router,
      Path policyFile,
      int concurrency,
      Duration deadline,
      int limit,
      boolean release) {}

  private final Options options;
  private final Consumer<String> log;

  public FleetEvaluation(Options options, Consumer<String> log) {
    this.options = options;
    this.log = log;
  }

  /** Measures the running fleet and writes the card; returns the fleet version directory. */
  public Path run() throws IOException {
    Path home = options.home();
    EvaluationPolicy policy = EvaluationPolicy.resolve(null, home).forTier("fleet");
    EvalOptions evalOptions = policy.options();
    DatasetVersion ds = DatasetVersion.current(home.resolve("data/datasets"));
    ProtectedSlices slices = ProtectedSlices.compile(policy.protectedSlices());
    List<Example> examples = new ArrayList<>();
    for (DatasetExamples.Inputs input :
        List.of(
            DatasetExamples.Inputs.TEXTS,
            DatasetExamples.Inputs.PAGES,
            DatasetExamples.Inputs.BACKGROUND)) {
      List<Example> some = DatasetExamples.load(ds, EnumSet.of(input), "test", slices);
      examples.addAll(
          options.limit() > 0 ? EvaluationPipeline.sample(some, options.limit()) : some);
    }
    log.accept(
        "dataset "
            + ds.id()
            + ": "
            + examples.size()
            + " test examples (texts, pages, ordinary sites)");
    Path policyFile =
        options.policyFile() != null ? options.policyFile() : home.resolve(DEFAULT_POLICY);
    byte[] policyBytes = Files.readAllBytes(policyFile);
    ObjectNode fleet = lineage(home);
    String version =
        "fleet-"
            + Sha256.of(
                    Json.card().writeValueAsString(fleet)
                        + "\n"
                        + new String(policyBytes, StandardCharsets.UTF_8))
                .substring(0, 12);
    Path dir = home.resolve("models").resolve(MODEL_NAME).resolve(version);

    List<String> categories = Taxonomy.v1().ids();
    Predictions predictions;
    Evaluator.Served served;
    Map<String, Double> thresholds;
    Map<String, String> servedPolicy;
    try (ClassifierSource source =
        new ClassifierSource(
            options.router(), List.of(), options.deadline(), options.concurrency())) {
      predictions = source.score(examples, categories);
      served = source.served(examples);
      thresholds = source.policyThresholds();
      servedPolicy = source.policy();
      int[] degraded = source.degradedCounts();
      System.err.println(
          "fleet: "
              + degraded[0]
              + " degraded verdicts asked again (a tier shed or timed out under this"
              + " evaluation's own load); "
              + degraded[1]
              + " still degraded after "
              + ClassifierSource.DEGRADED_RETRIES
              + " tries (scored as served)");
    }
    checkPolicy(policyBytes, servedPolicy, policyFile);
    Kept kept = keep(examples, predictions, served);
    Map<String, Double> t = new LinkedHashMap<>();
    for (String c : predictions.scores().categories()) {
      t.put(c, thresholds.getOrDefault(c, 0.5));
    }
    EvaluationResult result =
        Evaluator.evaluate(kept.examples(), kept.scores(), null, t, evalOptions, kept.served());

    Files.createDirectories(dir);
    Files.write(dir.resolve(POLICY_FILE), policyBytes);
    Files.writeString(dir.resolve(FLEET_FILE), Json.card().writeValueAsString(fleet) + "\n");
    Map<String, ThresholdChoice> choices = new TreeMap<>();
    t.forEach(
        (c, v) ->
            choices.put(
                c,
                new ThresholdChoice(
                    c,
                    v,
                    "the policy's threshold ("
                        + POLICY_FILE
                        + "); every tier serves its own dev-chosen threshold at 0.5",
                    "policy",
                    List.of(),
                    0,
                    0,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null)));
    ThresholdSet set = new ThresholdSet(ThresholdSet.FORMAT, "policy", ds.id(), "served", choices);
    set.write(dir.resolve(ThresholdSet.FILE));
    Files.writeString(
        dir.resolve("evaluation.json"), Json.card().writeValueAsString(result) + "\n");
    ModelMetadata meta = metadata(version, fleet, servedPolicy);
    Map<String, String> prot = new TreeMap<>();
    policy.protectedSlices().forEach((k, v) -> prot.put(k, v.description()));
    String manifestSha = Sha256.ofFile(ds.dir().resolve(DatasetVersion.MANIFEST));
    CardInputs in =
        new CardInputs(
            meta,
            dir,
            result,
            set,
            null,
            ds.id(),
            manifestSha,
            home.relativize(ds.dir().resolve("data-card.md")).toString(),
            List.of("texts", "pages", "background"),
            List.of(),
            List.of(),
            predictions.rejected(),
            prot,
            "router Classifier at "
                + options.router()
                + " (all tiers, default routing, cache bypassed)",
            List.of(
                "Recall is measured on harmful texts and pages; harmful hosts are measured by the url-lexical"
                    + " card (its test split holds registered domains no list of the fleet has seen)."),
            ServedActions.read(policyFile));
    ModelCardGenerator.generate(in);
    log.accept("wrote the fleet card to " + dir);
    if (options.release()) {
      Files.writeString(
          dir.getParent().resolve("RELEASED"), version + "\n", StandardCharsets.UTF_8);
      log.accept("RELEASED -> " + version);
    }
    return dir;
  }

  /** Every tier model's released version with the hashes of what it serves. */
  static ObjectNode lineage(Path home) throws IOException {
    ObjectNode root = Json.card().createObjectNode();
    ObjectNode models = root.putObject("models");
    try (Stream<Path> dirs = Files.list(home.resolve("models"))) {
      for (Path d : dirs.sorted().toList()) {
        Path released = d.resolve("RELEASED");
        if (!Files.isRegularFile(released) || d.getFileName().toString().equals(MODEL_NAME)) {
          continue;
        }
        String v = Files.readString(released, StandardCharsets.UTF_8).strip();
        ObjectNode m = models.putObject(d.getFileName().toString());
        m.put("version", v);
        for (String f : List.of(ThresholdSet.FILE, ModelMetadata.FILE)) {
          Path file = d.resolve(v).resolve(f);
          if (Files.isRegularFile(file)) {
            m.put(f, Sha256.ofFile(file));
          }
        }
      }
    }
    return root;
  }

  /** Differences between a fleet card's lineage and the repository ("" when none). */
  public static String staleness(Path fleetDir, Path home) {
    try {
      JsonNode recorded = Json.card().readTree(fleetDir.resolve(FLEET_FILE).toFile());
      ObjectNode now = lineage(home);
      List<String> diffs = new ArrayList<>();
      Set<String> names = new TreeSet<>();
      recorded.path("models").fieldNames().forEachRemaining(names::add);
      now.path("models").fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode a = recorded.path("models").path(name);
        JsonNode b = now.path("models").path(name);
        if (!a.equals(b)) {
          diffs.add(
              name
                  + " "
                  + (a.isMissingNode() ? "(absent)" : a.path("version").asText())
                  + " measured, "
                  + (b.isMissingNode() ? "(absent)" : b.path("version").asText())
                  + " released"
                  + (a.path("version").equals(b.path("version"))
                      ? " (served thresholds or metadata changed)"
                      : ""));
        }
      }
      Path policy = home.resolve(DEFAULT_POLICY);
      if (Files.isRegularFile(policy)
          && !Sha256.ofFile(policy).equals(Sha256.ofFile(fleetDir.resolve(POLICY_FILE)))) {
        diffs.add(
            "the default policy " + DEFAULT_POLICY + " differs from the measured " + POLICY_FILE);
      }
      return String.join("; ", diffs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The router must run the policy the card says it measured. */
  private static void checkPolicy(byte[] policyBytes, Map<String, String> served, Path file) {
    String text = new String(policyBytes, StandardCharsets.UTF_8);
    String id = field(text, "id");
    String version = field(text, "version");
    if (!id.equals(served.getOrDefault("id", ""))
        || !version.equals(served.getOrDefault("version", ""))) {
      throw new IllegalStateException(
          "the router serves policy "
              + served
              + " but "
              + file
              + " is id="
              + id
              + " version="
              + version
              + ": start the fleet with that policy (or pass --policy)");
    }
  }

  private static String field(String yaml, String key) {
    for (String line : yaml.split("\n")) {
      if (line.startsWith(key + ":")) {
        return line.substring(key.length() + 1)
            .replaceAll("#.*", "")
            .strip()
            .replace("\"", "")
            .replace("'", "");
      }
    }
    return "";
  }

  private record Kept(List<Example> examples, Scores scores, Evaluator.Served served) {}

  /**
   * Drops the inputs the fleet refused (INVALID_ARGUMENT): excluded from every metric, listed in
   * the card.
   */
  private static Kept keep(List<Example> examples, Predictions p, Evaluator.Served served) {
    Set<Integer> rejected = new HashSet<>();
    p.rejected().forEach(r -> rejected.add(r.index()));
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      if (!rejected.contains(i)) {
        idx.add(i);
      }
    }
    Map<String, double[]> scores = new LinkedHashMap<>();
    for (String c : p.scores().categories()) {
      double[] all = p.scores().get(c);
      scores.put(c, idx.stream().mapToDouble(i -> all[i]).toArray());
    }
    boolean[] blocked = new boolean[idx.size()];
    boolean[] alerted = new boolean[idx.size()];
    for (int j = 0; j < idx.size(); j++) {
      blocked[j] = served.blocked()[idx.get(j)];
      alerted[j] = served.alerted()[idx.get(j)];
    }
    return new Kept(
        idx.stream().map(examples::get).toList(),
        Scores.of(scores, idx.size()),
        new Evaluator.Served(blocked, alerted));
  }

  private static ModelMetadata metadata(
      String version, ObjectNode fleet, Map<String, String> servedPolicy) {
    Map<String, Object> hyper = new TreeMap<>();
    fleet
        .path("models")
        .fields()
        .forEachRemaining(e -> hyper.put(e.getKey(), e.getValue().path("version").asText()));
    hyper.put(
        "policy",
        servedPolicy.getOrDefault("id", "") + " " + servedPolicy.getOrDefault("version", ""));
    return new ModelMetadata(
        MODEL_NAME,
        version,
        null,
        "fleet",
        "the served verdict: router (merge, policy, help yields, fail-closed) over the url, content and llm tiers",
        "none: the fleet is measured, not trained; each tier's training is on its own card",
        hyper,
        "",
        "same as the Sieve repository",
        "Sieve",
        "Sieve maintainers",
        List.of(POLICY_FILE, FLEET_FILE),
        null,
        "",
        "",
        null,
        List.of(
            "School IT administrators and leaders deciding whether to deploy Sieve",
            "Sieve engineers checking that merged verdicts and policy keep what each tier's card promises"),
        List.of(),
        List.of(),
        List.of(
            "A fleet card describes the default policy; a tenant's own policy"
                + " (thresholds, actions, overrides) changes every number here."));
  }
}
