package dev.sieve.eval.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.Split;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.Sha256;
import dev.sieve.eval.EvalOptions;
import dev.sieve.eval.Evaluator;
import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import dev.sieve.eval.baseline.ExactListBaseline;
import dev.sieve.eval.baseline.PhraseBaselineSource;
import dev.sieve.eval.baseline.WeightedPhraseScorer;
import dev.sieve.eval.calibration.CalibrationFitter;
import dev.sieve.eval.calibration.CalibrationSet;
import dev.sieve.eval.card.BaselineSummaries;
import dev.sieve.eval.card.CardInputs;
import dev.sieve.eval.card.Json;
import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.card.ModelCardGenerator;
import dev.sieve.eval.card.ModelMetadata;
import dev.sieve.eval.card.ServedActions;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.data.ProtectedSlices;
import dev.sieve.eval.policy.EvaluationPolicy;
import dev.sieve.eval.report.EvaluationResult;
import dev.sieve.eval.report.LeaveOneSourceOut;
import dev.sieve.eval.scoring.ClassifierSource;
import dev.sieve.eval.scoring.GrpcTierScorer;
import dev.sieve.eval.scoring.PredictionSource;
import dev.sieve.eval.scoring.Predictions;
import dev.sieve.eval.scoring.PredictionsFile;
import dev.sieve.eval.scoring.ScorerContext;
import dev.sieve.eval.scoring.ScorerFactory;
import dev.sieve.eval.scoring.ScorerProvider;
import dev.sieve.eval.scoring.TierBaseline;
import dev.sieve.eval.scoring.TierScorerSource;
import dev.sieve.eval.threshold.DevSplit;
import dev.sieve.eval.threshold.ThresholdSelector;
import dev.sieve.eval.threshold.ThresholdSet;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.TierDescription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The whole standard in one run: score dev and test through the tier, fit calibration and choose
 * thresholds on dev only, evaluate test, run the baselines on the same split, and write
 * calibration.json, thresholds.json, evaluation.json and the model card.
 */
public final class EvaluationPipeline {

  /** What a run produced. */
  public record Outcome(
      EvaluationResult result,
      ThresholdSet thresholds,
      CalibrationSet calibration,
      ModelCardGenerator.CardFiles card,
      List<String> messages) {}

  private final RunConfig config;
  private final Consumer<String> log;
  private final List<String> messages = new ArrayList<>();
  private final long started = System.nanoTime();

  public EvaluationPipeline(RunConfig config, Consumer<String> log) {
    this.config = config;
    this.log = log;
  }

  public Outcome run() {
    EvaluationPolicy policy = config.policy().forTier(config.tier());
    EvalOptions options = policy.options();
    DatasetVersion ds =
        config.dataset() != null
            ? DatasetVersion.open(config.dataset())
            : DatasetVersion.current(config.home().resolve("data/datasets"));
    ProtectedSlices slices = ProtectedSlices.compile(policy.protectedSlices());
    Set<DatasetExamples.Inputs> inputs =
        config.inputs().isEmpty()
            ? ScorerFactory.provider(config.tier())
                .map(ScorerProvider::defaultInputs)
                .orElse(defaultInputs(config.tier()))
            : config.inputs();
    Predictions devPred;
    Predictions testPred;
    String sourceDescription;
    List<String> categories;
    Scan scan;
    List<Example> dev;
    List<Example> test;
    Optional<ModelInfo> served = Optional.empty();
    try (PredictionSource source = openSource(config.modelDir())) {
      categories = categories(source);
      sourceDescription = source.describe();
      if (source instanceof TierScorerSource tierSource) {
        served = tierSource.model();
      }
      scan = scan(ds, inputs, slices, categories);
      dev = limit(scan.dev());
      test = limit(scan.test());
      if (dev.isEmpty() || test.isEmpty()) {
        throw new IllegalStateException(
            "dataset "
                + ds.id()
                + " has no "
                + (dev.isEmpty() ? "dev" : config.split())
                + " examples for inputs "
                + inputs);
      }
      say(
          "dataset "
              + ds.id()
              + ": "
              + dev.size()
              + " dev and "
              + test.size()
              + " "
              + config.split()
              + " examples ("
              + inputs
              + ")");
      say("scoring with " + sourceDescription + " in " + categories.size() + " categories");
      devPred = source.score(dev, categories);
      testPred = source.score(test, categories);
    }
    say("scored");
    Kept devKept = drop(dev, devPred);
    Kept testKept = drop(test, testPred);
    if (!testPred.rejected().isEmpty() || !devPred.rejected().isEmpty()) {
      say(
          (devPred.rejected().size() + testPred.rejected().size())
              + " inputs refused by the model (excluded)");
    }

    CalibrationSet calibration = null;
    Scores devServed = devKept.scores();
    Scores testServed = testKept.scores();
    boolean selfCalibrated =
        config.predictions() == null
            && config.router() == null
            && config.target() == null
            && ScorerFactory.provider(config.tier())
                .map(ScorerProvider::servesCalibratedProbabilities)
                .orElse(false);
    if (selfCalibrated && config.calibrate()) {
      say(
          "the "
              + config.tier()
              + " tier serves its own dev-fitted calibration: no evaluator calibration"
              + " (thresholds are chosen on the probabilities serving thresholds)");
    }
    if (config.calibrate() && !selfCalibrated) {
      calibration =
          CalibrationFitter.fit(DevSplit.of(devKept.examples(), devKept.scores()), ds.id())
              .roundTrip();
      devServed = calibration.apply(devKept.scores());
      testServed = calibration.apply(testKept.scores());
    }
    say(calibration == null ? "no calibration" : "calibration fitted on dev");
    ThresholdSet thresholds =
        ThresholdSelector.select(
            DevSplit.of(devKept.examples(), devServed),
            policy.thresholds(),
            options,
            ds.id(),
            calibration == null ? "raw" : "calibrated");
    EvaluationResult result =
        Evaluator.evaluate(
            testKept.examples(),
            testServed,
            calibration == null ? null : testKept.scores(),
            thresholds.values(),
            options);

    say("thresholds chosen on dev and " + config.split() + " evaluated");
    boolean losoByThresholds =
        config.predictions() == null
            && config.router() == null
            && config.target() == null
            && ScorerFactory.provider(config.tier())
                .map(ScorerProvider::leaveOneSourceOutByThresholds)
                .orElse(false);
    Path out = config.output();
    if ((config.router() != null || config.target() != null)
        && config.modelDir() != null
        && out.toAbsolutePath()
            .normalize()
            .equals(config.modelDir().toAbsolutePath().normalize())) {
      // Scores over gRPC are threshold-aligned; thresholds chosen on them must not become the
      // model's served thresholds.json (serving would align them a second time).
      throw new IllegalArgumentException(
          "scores from --target/--router are served (threshold-aligned)"
              + " scores; write this evaluation elsewhere with --out, not into the model directory");
    }
    try {
      Files.createDirectories(out);
      if (calibration != null) {
        calibration.write(out.resolve(CalibrationSet.FILE));
      }
      thresholds.write(out.resolve(ThresholdSet.FILE));
      if (losoByThresholds) {
        ThresholdHoldout.run(
                devKept.examples(),
                devServed,
                testKept.examples(),
                testServed,
                thresholds.values(),
                policy,
                options,
                ds.id())
            .write(out.resolve(LeaveOneSourceOut.FILE));
        say("leave-one-source-out (thresholds re-chosen without each source) written");
      }
      Files.writeString(
          out.resolve("evaluation.json"),
          Json.card().writeValueAsString(result) + "\n",
          StandardCharsets.UTF_8);
      if (config.savePredictions()) {
        PredictionsFile.write(
            out.resolve("predictions-dev.jsonl.gz"), devKept.examples(), devKept.scores());
        PredictionsFile.write(
            out.resolve("predictions-" + config.split() + ".jsonl.gz"),
            testKept.examples(),
            testKept.scores());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write evaluation outputs to " + out, e);
    }

    ModelCardGenerator.CardFiles card = null;
    Path metaFile =
        config.metadata() != null
            ? config.metadata()
            : config.modelDir() == null ? null : config.modelDir().resolve(ModelMetadata.FILE);
    if (metaFile != null && Files.isRegularFile(metaFile)) {
      ModelMetadata meta = ModelMetadata.read(metaFile);
      if (served.isPresent()
          && !served.get().getVersion().isEmpty()
          && (!served.get().getName().equals(meta.name())
              || !served.get().getVersion().equals(meta.version()))) {
        throw new IllegalStateException(
            "the tier serves "
                + served.get().getName()
                + " "
                + served.get().getVersion()
                + " but "
                + metaFile
                + " describes "
                + meta.name()
                + " "
                + meta.version()
                + ": refusing to write a card for the wrong model");
      }
      List<String> extra = new ArrayList<>();
      fleetComparison(config.modelDir()).ifPresent(extra::add);
      List<ModelCard.BaselineSummary> baselines =
          baselines(ds, scan.knownHosts(), testKept.examples(), categories, meta, options, extra);
      tierBaselines(
              policy,
              ds,
              devKept.examples(),
              testKept.examples(),
              categories,
              thresholds,
              options,
              extra)
          .forEach(baselines::add);
      String manifestSha =
          Files.isRegularFile(ds.dir().resolve(DatasetVersion.MANIFEST))
              ? Sha256.ofFile(ds.dir().resolve(DatasetVersion.MANIFEST))
              : "";
      Map<String, String> prot = new TreeMap<>();
      policy.protectedSlices().forEach((k, v) -> prot.put(k, v.description()));
      CardInputs in =
          new CardInputs(
              meta,
              config.modelDir() != null ? config.modelDir() : out,
              result,
              thresholds,
              calibration,
              ds.id(),
              manifestSha,
              relative(ds.dir().resolve("data-card.md")),
              inputs.stream().map(i -> i.name().toLowerCase(Locale.ROOT)).sorted().toList(),
              scan.classBalance(),
              baselines,
              testPred.rejected(),
              prot,
              sourceDescription,
              extra,
              ServedActions.forHome(config.home()));
      card = ModelCardGenerator.write(out, ModelCardGenerator.build(in));
      say(
          "wrote "
              + card.json()
              + ", "
              + card.markdown().getFileName()
              + ", "
              + card.html().getFileName());
    } else {
      say(
          "no "
              + ModelMetadata.FILE
              + " found: wrote evaluation.json and thresholds only (no card)");
    }
    return new Outcome(result, thresholds, calibration, card, List.copyOf(messages));
  }

  private PredictionSource openSource(Path modelDir) {
    Duration deadline = Duration.ofMillis(config.deadlineMillis());
    if (config.predictions() != null) {
      return new PredictionsFile(config.predictions());
    }
    if (config.router() != null) {
      return new ClassifierSource(
          config.router(), List.of(config.tier()), deadline, config.concurrency());
    }
    if (config.target() != null) {
      GrpcTierScorer remote = new GrpcTierScorer(config.target(), deadline);
      return new TierScorerSource(
          remote,
          "gRPC Scorer (" + remote.tier() + ") at " + config.target(),
          config.concurrency(),
          remote);
    }
    TierScorer scorer =
        ScorerFactory.create(config.tier(), ScorerContext.of(config.home(), modelDir));
    return new TierScorerSource(
        scorer,
        "in-process " + config.tier() + " tier (ScorerProvider)",
        config.concurrency(),
        scorer instanceof AutoCloseable c ? c : null);
  }

  private List<String> categories(PredictionSource source) {
    if (!config.categories().isEmpty()) {
      return config.categories();
    }
    if (source instanceof TierScorerSource tierSource) {
      // Describe lists what the tier can score; fall back to the taxonomy when it says nothing.
      try {
        TierDescription d = tierSource.description().orElse(null);
        if (d != null && d.getCategoriesCount() > 0) {
          List<String> ordered = new ArrayList<>();
          for (String id : Taxonomy.v1().ids()) {
            if (d.getCategoriesList().contains(id)) {
              ordered.add(id);
            }
          }
          d.getCategoriesList().stream()
              .filter(c -> !ordered.contains(c))
              .sorted()
              .forEach(ordered::add);
          return ordered;
        }
      } catch (RuntimeException e) {
        say("Describe failed (" + e.getMessage() + "); evaluating every taxonomy category");
      }
    }
    return Taxonomy.v1().ids();
  }

  private List<ModelCard.BaselineSummary> baselines(
      DatasetVersion ds,
      Map<String, Set<String>> knownHosts,
      List<Example> test,
      List<String> categories,
      ModelMetadata meta,
      EvalOptions options,
      List<String> caveats) {
    EvalOptions fast = options.withBootstrap(0, options.seed());
    Map<String, Double> half = new LinkedHashMap<>();
    categories.forEach(c -> half.put(c, 0.5));
    List<ModelCard.BaselineSummary> out = new ArrayList<>();
    boolean anyUrl = test.stream().anyMatch(DatasetExamples::isUrl);
    if (config.exactListBaseline() && anyUrl) {
      ExactListBaseline exact = new ExactListBaseline(knownHosts, "exact list lookup");
      Predictions p = exact.score(test, categories);
      out.add(
          BaselineSummaries.of(
              "exact_list",
              "Exact host / parent-domain lookup in the "
                  + exact.size()
                  + " listed train+dev hosts. The split"
                  + " is grouped by registered domain, so this measures a list on domains it has never seen.",
              true,
              ds.id(),
              Evaluator.evaluate(test, p.scores(), half, fast)));
    }
    if (config.phraseLists() != null) {
      if (Files.isDirectory(config.phraseLists())) {
        WeightedPhraseScorer phrases =
            WeightedPhraseScorer.loadE2guardian(config.phraseLists(), 50);
        Predictions p =
            new PhraseBaselineSource(phrases, "weighted phrases").score(test, categories);
        out.add(
            BaselineSummaries.of(
                "e2guardian_phrases",
                "e2guardian-style weighted phrase scoring ("
                    + phrases.size()
                    + " English weighted entries,"
                    + " naughtiness limit 50, each phrase once per page); URL inputs are scored on the host name.",
                true,
                ds.id(),
                Evaluator.evaluate(test, p.scores(), half, fast)));
      } else {
        caveats.add(
            "Phrase-list baseline not run: "
                + config.phraseLists()
                + " not found (apt-get install e2guardian).");
      }
    }
    if (config.previousBaseline() && config.modelDir() != null) {
      previous(ds, test, categories, meta, fast, caveats).ifPresent(out::add);
    }
    return out;
  }

  /**
   * One caveat line summarising {@code fleet-comparison.json} next to the model (written by {@code
   * ./sieve fleet-vs-tiers --out}): whether the whole fleet's merged verdict beats the best single
   * tier per category, which the tier's own metrics cannot show.
   */
  static Optional<String> fleetComparison(Path modelDir) {
    Path file = modelDir == null ? null : modelDir.resolve("fleet-comparison.json");
    if (file == null || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode root = Json.card().readTree(file.toFile());
      Map<String, List<String>> byStatus = new TreeMap<>();
      root.path("checks")
          .fields()
          .forEachRemaining(
              e ->
                  byStatus
                      .computeIfAbsent(e.getValue().path("status").asText(), k -> new ArrayList<>())
                      .add(e.getKey()));
      StringBuilder line =
          new StringBuilder("Fleet vs single tiers (fleet-comparison.md; ")
              .append(root.path("split").asText())
              .append(" split of ")
              .append(root.path("dataset_version").asText())
              .append(", ")
              .append(root.path("inputs").asText())
              .append(" inputs, live router with every tier):");
      byStatus.forEach(
          (status, categories) ->
              line.append(' ')
                  .append(
                      status.equals("insufficient data")
                          ? "too few positives to compare"
                          : status + " than the best single tier")
                  .append(": ")
                  .append(String.join(", ", categories))
                  .append(';'));
      line.setLength(line.length() - 1);
      return Optional.of(line.append('.').toString());
    } catch (IOException | RuntimeException e) {
      return Optional.of(
          "fleet-comparison.json next to the model is unreadable: " + e.getMessage());
    }
  }

  /**
   * The tier's own baselines (ScorerProvider#baselines), thresholds chosen on dev by the policy.
   */
  private List<ModelCard.BaselineSummary> tierBaselines(
      EvaluationPolicy policy,
      DatasetVersion ds,
      List<Example> dev,
      List<Example> test,
      List<String> categories,
      ThresholdSet modelThresholds,
      EvalOptions options,
      List<String> caveats) {
    Optional<ScorerProvider> provider = ScorerFactory.provider(config.tier());
    if (provider.isEmpty() || !config.tierBaselines()) {
      return List.of();
    }
    List<TierBaseline> offered;
    try {
      offered = provider.get().baselines(ScorerContext.of(config.home(), config.modelDir()), ds);
    } catch (Exception e) {
      caveats.add(
          "The " + config.tier() + " tier's own baselines could not be built: " + e.getMessage());
      return List.of();
    }
    EvalOptions fast = options.withBootstrap(0, options.seed());
    List<ModelCard.BaselineSummary> out = new ArrayList<>();
    for (TierBaseline b : offered) {
      try (PredictionSource source = b.source()) {
        Kept testB;
        Map<String, Double> at;
        String how;
        if (b.atModelThresholds()) {
          say("baseline " + b.name() + ": scoring " + config.split());
          testB = drop(test, source.score(test, categories));
          at = modelThresholds.values();
          how = " Decided at the model's thresholds.";
        } else {
          say("baseline " + b.name() + ": scoring dev and " + config.split());
          Kept devB = drop(dev, source.score(dev, categories));
          testB = drop(test, source.score(test, categories));
          at =
              ThresholdSelector.select(
                      DevSplit.of(devB.examples(), devB.scores()),
                      policy.thresholds(),
                      fast,
                      ds.id(),
                      "raw")
                  .values();
          how = " Thresholds chosen on dev by the model's policy.";
        }
        out.add(
            BaselineSummaries.of(
                b.name(),
                b.description() + how,
                true,
                ds.id(),
                Evaluator.evaluate(testB.examples(), testB.scores(), at, fast)));
      } catch (RuntimeException e) {
        caveats.add("Baseline " + b.name() + " failed: " + e.getMessage());
      }
    }
    return out;
  }

  private Optional<ModelCard.BaselineSummary> previous(
      DatasetVersion ds,
      List<Example> test,
      List<String> categories,
      ModelMetadata meta,
      EvalOptions fast,
      List<String> caveats) {
    Path released = config.modelDir().toAbsolutePath().getParent().resolve("RELEASED");
    if (!Files.isRegularFile(released)) {
      caveats.add(
          "No previously released version of "
              + meta.name()
              + " (no RELEASED file): no previous-release baseline.");
      return Optional.empty();
    }
    String version;
    try {
      version = Files.readString(released, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (version.equals(meta.version())) {
      return Optional.empty();
    }
    Path prevDir = released.getParent().resolve(version);
    String name = "previous_release";
    Path prevThresholds = prevDir.resolve(ThresholdSet.FILE);
    if (config.predictions() == null
        && config.router() == null
        && config.target() == null
        && ScorerFactory.provider(config.tier()).isPresent()
        && Files.isRegularFile(prevThresholds)) {
      try (PredictionSource src = openSource(prevDir)) {
        Predictions p = src.score(test, categories);
        Kept kept = drop(test, p);
        ThresholdSet t = ThresholdSet.read(prevThresholds);
        Scores served = kept.scores();
        if ("calibrated".equals(t.scoreSpace())
            && Files.isRegularFile(prevDir.resolve(CalibrationSet.FILE))) {
          served = CalibrationSet.read(prevDir.resolve(CalibrationSet.FILE)).apply(served);
        }
        Map<String, Double> th = new LinkedHashMap<>();
        for (String c : categories) {
          th.put(c, t.values().getOrDefault(c, 0.5));
        }
        return Optional.of(
            BaselineSummaries.of(
                name,
                "Previously released version "
                    + version
                    + " re-scored on this split at its own thresholds.",
                true,
                ds.id(),
                Evaluator.evaluate(kept.examples(), served, th, fast)));
      } catch (RuntimeException e) {
        caveats.add(
            "Previous release "
                + version
                + " could not be re-scored ("
                + e.getMessage()
                + "); its own card is shown.");
      }
    }
    Path prevCard = prevDir.resolve(ModelCard.JSON);
    if (!Files.isRegularFile(prevCard)) {
      caveats.add(
          "Previous release " + version + " has no model card: no previous-release baseline.");
      return Optional.empty();
    }
    ModelCard pc = ModelCardGenerator.read(prevCard);
    boolean same =
        pc.evaluationData().datasetVersion().equals(ds.id())
            && pc.evaluationData().split().equals(config.split());
    return Optional.of(
        BaselineSummaries.of(
            name,
            "Previously released version " + version + " as measured in its own card.",
            same,
            pc.evaluationData().datasetVersion(),
            pc.quantitativeAnalyses()));
  }

  /**
   * What one pass over the dataset files yields: the dev and evaluated examples, the training class
   * balance, and the labelled non-test hosts for the exact-list baseline.
   */
  record Scan(
      List<Example> dev,
      List<Example> test,
      List<ModelCard.ClassBalance> classBalance,
      Map<String, Set<String>> knownHosts) {}

  /** Reads each dataset file once (they are large: one pass, every consumer fed from it). */
  private Scan scan(
      DatasetVersion ds,
      Set<DatasetExamples.Inputs> inputs,
      ProtectedSlices slices,
      List<String> categories) {
    String devId = Split.DEV.id();
    String trainId = Split.TRAIN.id();
    String evalId = config.split();
    List<Example> dev = new ArrayList<>();
    List<Example> test = new ArrayList<>();
    long[] pos = new long[categories.size()];
    long[] scope = new long[categories.size()];
    Map<String, Set<String>> known = new HashMap<>();
    ProtectedSlices none = ProtectedSlices.none();
    Consumer<Example> countTrain =
        e -> {
          for (int c = 0; c < categories.size(); c++) {
            if (e.inScope(categories.get(c))) {
              scope[c]++;
              if (e.positive(categories.get(c))) {
                pos[c]++;
              }
            }
          }
        };
    boolean wantKnown = config.exactListBaseline();
    if (inputs.contains(DatasetExamples.Inputs.DOMAINS)) {
      ds.forEachDomain(
          r -> {
            if (wantKnown && !r.labels().isEmpty() && !evalId.equals(r.split())) {
              known.computeIfAbsent(r.host(), h -> new HashSet<>()).addAll(r.labels());
            }
            route(
                r.split(),
                devId,
                evalId,
                trainId,
                dev,
                test,
                countTrain,
                () -> DatasetExamples.fromDomain(r, false, slices),
                () -> DatasetExamples.fromDomain(r, false, none));
          });
    }
    if (inputs.contains(DatasetExamples.Inputs.BACKGROUND)) {
      ds.forEachBackground(
          r ->
              route(
                  r.split(),
                  devId,
                  evalId,
                  trainId,
                  dev,
                  test,
                  countTrain,
                  () -> DatasetExamples.fromDomain(r, true, slices),
                  () -> DatasetExamples.fromDomain(r, true, none)));
    }
    if (inputs.contains(DatasetExamples.Inputs.TEXTS)) {
      ds.forEachText(
          r ->
              route(
                  r.split(),
                  devId,
                  evalId,
                  trainId,
                  dev,
                  test,
                  countTrain,
                  () -> DatasetExamples.fromText(r, slices),
                  () -> DatasetExamples.fromText(r, none)));
    }
    List<ModelCard.ClassBalance> balance = new ArrayList<>();
    for (int c = 0; c < categories.size(); c++) {
      balance.add(
          new ModelCard.ClassBalance(
              categories.get(c),
              pos[c],
              scope[c],
              scope[c] == 0 ? null : (double) pos[c] / scope[c]));
    }
    return new Scan(dev, test, balance, known);
  }

  private static void route(
      String split,
      String devId,
      String evalId,
      String trainId,
      List<Example> dev,
      List<Example> test,
      Consumer<Example> countTrain,
      Supplier<Example> full,
      Supplier<Example> bare) {
    if (devId.equals(split)) {
      dev.add(full.get());
    } else if (evalId.equals(split)) {
      test.add(full.get());
    } else if (trainId.equals(split)) {
      countTrain.accept(bare.get());
    }
  }

  /** Examples and scores without the refused inputs. */
  record Kept(List<Example> examples, Scores scores) {}

  static Kept drop(List<Example> examples, Predictions p) {
    if (p.rejected().isEmpty()) {
      return new Kept(examples, p.scores());
    }
    Set<Integer> gone = new HashSet<>();
    p.rejected().forEach(r -> gone.add(r.index()));
    int[] keep = new int[examples.size() - gone.size()];
    List<Example> kept = new ArrayList<>(keep.length);
    int j = 0;
    for (int i = 0; i < examples.size(); i++) {
      if (!gone.contains(i)) {
        keep[j++] = i;
        kept.add(examples.get(i));
      }
    }
    return new Kept(kept, p.scores().subset(keep));
  }

  private List<Example> limit(List<Example> examples) {
    return config.limit() <= 0 ? examples : sample(examples, config.limit());
  }

  /**
   * At most {@code limit} examples, chosen by hash of their ids (deterministic), in input order.
   */
  static List<Example> sample(List<Example> examples, int limit) {
    if (examples.size() <= limit) {
      return examples;
    }
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      idx.add(i);
    }
    idx.sort(Comparator.<Integer, String>comparing(i -> Sha256.of(examples.get(i).id())));
    List<Integer> chosen = new ArrayList<>(idx.subList(0, limit));
    chosen.sort(null);
    return chosen.stream().map(examples::get).toList();
  }

  private String relative(Path p) {
    try {
      return config
          .home()
          .toAbsolutePath()
          .normalize()
          .relativize(p.toAbsolutePath().normalize())
          .toString();
    } catch (IllegalArgumentException e) {
      return p.toString();
    }
  }

  static Set<DatasetExamples.Inputs> defaultInputs(String tier) {
    return "url".equals(tier)
        ? EnumSet.of(DatasetExamples.Inputs.DOMAINS, DatasetExamples.Inputs.BACKGROUND)
        : EnumSet.of(DatasetExamples.Inputs.TEXTS, DatasetExamples.Inputs.PAGES);
  }

  private void say(String message) {
    String line =
        String.format(Locale.ROOT, "[%5.1fs] %s", (System.nanoTime() - started) / 1e9, message);
    messages.add(line);
    log.accept(line);
  }
}
