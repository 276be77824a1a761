package dev.sieve.content.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.sieve.content.ContentTier;
import dev.sieve.content.encode.ChunkEncoder;
import dev.sieve.content.extract.Chunk;
import dev.sieve.content.extract.ExtractedPage;
import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.content.extract.PageExtractor;
import dev.sieve.content.model.CategoryConfig;
import dev.sieve.content.model.ContentHead;
import dev.sieve.content.model.ContentModel;
import dev.sieve.content.model.HeadArchitecture;
import dev.sieve.content.model.HeadConfig;
import dev.sieve.content.model.NgramModel;
import dev.sieve.content.model.PagePooling;
import dev.sieve.content.model.PlattCalibration;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.metrics.BinaryMetrics;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.Sha256;
import dev.sieve.eval.metrics.GroupCounts;
import dev.sieve.eval.metrics.RankedCategory;
import dev.sieve.eval.policy.EvaluationPolicy;
import dev.sieve.eval.threshold.ThresholdRule;
import dev.sieve.eval.threshold.ThresholdSelector;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains, calibrates, evaluates and packages the content head from a dataset version, and writes
 * the model card. One command, so every number in the card is produced by this code from the
 * artifact it describes.
 *
 * <p>Steps: texts go through the serving extractor and chunker; chunks are embedded by the frozen
 * encoder (cached on disk); pages are pooled (mean + max); the DJL head is trained with masked,
 * class-weighted BCE and early stopping on dev; the saved weights are loaded back exactly as the
 * service loads them; Platt calibration and thresholds are fitted on dev; the final configuration
 * is written and the model is loaded once more, with its SHA-256 check, to produce the test
 * numbers. Two baselines (hashed n-gram logistic regression; e2guardian's phrase lists) are scored
 * on the same splits.
 */
public final class ContentTrainer {

  private static final Logger log = LoggerFactory.getLogger(ContentTrainer.class);

  /**
   * Data minimums. A category becomes a head output with {@code trainPositives} training positives
   * (and as many in-scope negatives); below the dev/test minimums its metrics are noise, so it is
   * trained but not served and the card names it instead of printing numbers.
   */
  public record Minimums(
      int trainPositives, int devPositives, int testPositives, int evalNegatives) {
    /**
     * 30 dev and test positives: the project's evaluation policy ({@code release-gate.yaml}, {@code
     * evaluation.min_positives}); 20 training positives to become a head output at all.
     */
    public static Minimums defaults() {
      return new Minimums(20, 30, 30, 20);
    }
  }

  /**
   * Recall floors on dev for fail-closed categories, where a miss costs more than a false alarm:
   * self_harm follows the project's release policy (release-gate.yaml: recall >= 0.95 on dev, then
   * the fewest false alarms = the highest such threshold); adult keeps 0.90 on dev so the gate's
   * test floor (0.85) has a margin. Other categories use the best dev F1.
   */
  static final Map<String, Double> RECALL_FLOORS = Map.of("self_harm", 0.95, "adult", 0.90);

  /**
   * A dev-chosen threshold, the rule's name as the report and {@code config.json} print it, and the
   * dev counts at the threshold.
   */
  record DevThreshold(double threshold, String rule, BinaryMetrics.Confusion devCounts) {}

  static DevThreshold chooseThreshold(String category, double[] scores, int[] labels) {
    Double floor = RECALL_FLOORS.get(category);
    return floor != null ? recallFloor(scores, labels, floor) : maxF1(scores, labels);
  }

  /** The best dev F1 (ties: the higher threshold), by the evaluation standard's selector. */
  static DevThreshold maxF1(double[] scores, int[] labels) {
    return select(scores, labels, ThresholdRule.maxF1(), "max_f1_dev");
  }

  /** The highest threshold whose dev recall is at least {@code floor}. */
  static DevThreshold recallFloor(double[] scores, int[] labels, double floor) {
    return select(
        scores,
        labels,
        new ThresholdRule("fewest_flags", floor, null, null, null, null),
        String.format(Locale.ROOT, "recall_floor_dev:%.2f", floor));
  }

  private static DevThreshold select(
      double[] scores, int[] labels, ThresholdRule rule, String name) {
    boolean[] positive = BinaryMetrics.positive(labels);
    GroupCounts counts = RankedCategory.of(scores, positive).counts();
    double threshold = ThresholdSelector.choose(counts, rule, 1).threshold();
    return new DevThreshold(threshold, name, BinaryMetrics.confusion(scores, positive, threshold));
  }

  /**
   * Run options.
   *
   * @param dataset dataset version to train on
   * @param modelRoot {@code models/content-minilm-mlp}
   * @param cacheDir embedding cache directory (git-ignored)
   * @param phraseLists e2guardian phraselists directory (null or missing = baseline skipped)
   * @param params head hyper-parameters
   * @param maxTrainNegativesPerSource cap on training negatives per source (0 = no cap); positives
   *     are always kept, dev and test are never subsampled
   * @param release write RELEASED to point at the new version
   * @param codeCommit commit of the code that trained
   * @param leaveOneSourceOut also retrain without each source and write loso.json (slow: one head
   *     per source)
   * @param heldOutScoresSource when set, only train without this source and write its records'
   *     out-of-source scores to {@code heldOutScoresFile} (label review), then stop
   * @param losoOnly when set, train nothing: add leave-one-source-out ({@code loso.json}) to this
   *     existing version, trained on the same dataset (LOSO is the slow part of a release)
   */
  public record Options(
      DatasetVersion dataset,
      Path modelRoot,
      Path cacheDir,
      Path phraseLists,
      HeadTrainer.Params params,
      int maxTrainNegativesPerSource,
      boolean release,
      String codeCommit,
      Minimums minimums,
      boolean baselines,
      boolean leaveOneSourceOut,
      String heldOutScoresSource,
      Path heldOutScoresFile,
      Path losoOnly) {

    /** Options that train a new version. */
    public Options(
        DatasetVersion dataset,
        Path modelRoot,
        Path cacheDir,
        Path phraseLists,
        HeadTrainer.Params params,
        int maxTrainNegativesPerSource,
        boolean release,
        String codeCommit,
        Minimums minimums,
        boolean baselines,
        boolean leaveOneSourceOut,
        String heldOutScoresSource,
        Path heldOutScoresFile) {
      this(
          dataset,
          modelRoot,
          cacheDir,
          phraseLists,
          params,
          maxTrainNegativesPerSource,
          release,
          codeCommit,
          minimums,
          baselines,
          leaveOneSourceOut,
          heldOutScoresSource,
          heldOutScoresFile,
          null);
    }
  }

  private final Options options;
  private final ChunkEncoder encoder;
  private final PageExtractor extractor;

  public ContentTrainer(Options options, ChunkEncoder encoder) {
    this.options = options;
    this.encoder = encoder;
    this.extractor =
        new PageExtractor(ExtractionLimits.defaults().withWordsPerChunk(encoder.wordsPerChunk()));
  }

  /** Runs everything; returns the new version directory. */
  public Path run() throws IOException {
    long start = System.nanoTime();
    DatasetVersion dataset = options.dataset();
    List<TextExample> all = new ArrayList<>();
    dataset.forEachText(r -> all.add(TextExample.of(r)));
    log.info("dataset {}: {} texts", dataset.id(), all.size());

    Map<String, Object> sampling = new LinkedHashMap<>();
    List<TextExample> usable = subsample(all, sampling);

    if (options.heldOutScoresSource() != null) {
      return writeHeldOutScores(usable);
    }
    if (options.losoOnly() != null) {
      return leaveOneSourceOutOnly(usable, options.losoOnly());
    }
    CorpusEmbedder embedder;
    List<float[][]> chunkVectors;
    try (EmbeddingCache cache =
        EmbeddingCache.open(options.cacheDir(), encoder.id(), encoder.dimension())) {
      embedder = new CorpusEmbedder(extractor, encoder, cache);
      chunkVectors = embedder.embed(usable);
    }
    // What the n-gram model reads: the serving chunks' texts, joined (ContentModel does the same).
    Map<String, List<String>> chunkTexts = new HashMap<>();
    for (TextExample e : usable) {
      chunkTexts.put(e.id(), embedder.chunks(e.text()).stream().map(Chunk::text).toList());
    }
    Map<String, String> ngramText = new HashMap<>();
    chunkTexts.forEach((id, chunks) -> ngramText.put(id, String.join(" ", chunks)));
    // Texts with no words have no features (the service answers them with "no opinion").
    List<TextExample> examples = new ArrayList<>();
    List<float[][]> vectors = new ArrayList<>();
    int empty = 0;
    for (int i = 0; i < usable.size(); i++) {
      if (chunkVectors.get(i).length == 0) {
        empty++;
        continue;
      }
      examples.add(usable.get(i));
      vectors.add(chunkVectors.get(i));
    }
    sampling.put("dropped_empty_texts", empty);

    Split train = Split.of(examples, vectors, "train");
    Split dev = Split.of(examples, vectors, "dev");
    Split test = Split.of(examples, vectors, "test");
    log.info("splits: train {} dev {} test {}", train.size(), dev.size(), test.size());

    List<String> outputs = new ArrayList<>();
    Map<String, Object> notTrained = new LinkedHashMap<>();
    for (String category : Taxonomy.v1().ids()) {
      int[][] counts = LabelMatrix.counts(train.examples(), List.of(category));
      int minimum = options.minimums().trainPositives();
      if (counts[0][0] >= minimum && counts[0][1] >= minimum) {
        outputs.add(category);
      } else {
        notTrained.put(
            category,
            "train positives "
                + counts[0][0]
                + ", negatives "
                + counts[0][1]
                + " (need "
                + minimum
                + " each)");
      }
    }
    log.info("head outputs: {}", outputs);
    double[] positiveWeights = positiveWeights(train.examples(), outputs);
    float scale = PagePooling.scale(encoder.dimension());
    float[][] trainX = pooled(train.vectors(), scale);
    float[][] devX = pooled(dev.vectors(), scale);
    LabelMatrix trainY =
        LabelMatrix.of(
            train.examples(),
            outputs,
            positiveWeights,
            LabelMatrix.ordinarySourceWeights(train.examples()));
    LabelMatrix devY = LabelMatrix.of(dev.examples(), outputs, positiveWeights);

    // Weights are staged outside the model root so a failed run leaves nothing under models/.
    Path staging = Files.createTempDirectory("content-head-staging-");
    HeadTrainer.Result trained =
        new HeadTrainer(options.params()).train(trainX, trainY, devX, devY, staging);
    log.info(
        "trained in {} ms, best epoch {} (dev loss {})",
        trained.millis(),
        trained.bestEpoch(),
        trained.bestDevLoss());
    String paramsFile = trained.params().getFileName().toString();
    String sha = Sha256.ofFile(trained.params());

    // Logits from the saved weights, loaded exactly as the service loads them.
    HeadConfig provisional =
        config(
            "staging",
            "",
            outputs,
            identityCategories(outputs),
            trained,
            paramsFile,
            sha,
            dataset.id());
    provisional.write(staging.resolve(HeadConfig.FILE));
    double[][] devHeadLogits;
    try (ContentModel model = ContentModel.load(staging, encoder, Device.cpu())) {
      devHeadLogits = logits(model, dev.vectors());
    }
    // The n-gram model fused with the head, its weight per category chosen on dev.
    EvaluationPolicy standard =
        EvaluationPolicy.resolve(null, options.modelRoot().toAbsolutePath().getParent().getParent())
            .forTier("content");
    NgramFusion.Fitted fusion =
        NgramFusion.fit(
            texts(train, ngramText),
            trainY,
            dev.examples(),
            texts(dev, ngramText),
            devHeadLogits,
            outputs,
            standard);
    double[][] devLogits =
        NgramFusion.fuse(
            devHeadLogits,
            NgramFusion.logits(fusion.model(), texts(dev, ngramText)),
            fusion.weights());
    sampling.put("ngram_fusion", fusion.report());

    // Calibration and thresholds on dev.
    List<CategoryConfig> categories = new ArrayList<>();
    Map<String, Object> devReport = new LinkedHashMap<>();
    int[][] testCounts = LabelMatrix.counts(test.examples(), outputs);
    int[][] devCounts = LabelMatrix.counts(dev.examples(), outputs);
    for (int k = 0; k < outputs.size(); k++) {
      String category = outputs.get(k);
      Evaluation.Column column =
          Evaluation.column(dev.examples(), category, columnOf(devLogits, k));
      PlattCalibration platt = PlattFitter.fit(column.scores(), column.labels());
      double[] calibrated = new double[column.scores().length];
      for (int i = 0; i < calibrated.length; i++) {
        calibrated[i] = platt.apply(column.scores()[i]);
      }
      DevThreshold choice = chooseThreshold(category, calibrated, column.labels());
      String reason = insufficiency(options.minimums(), devCounts[k], testCounts[k]);
      categories.add(
          new CategoryConfig(
              category,
              reason.isEmpty(),
              reason,
              platt,
              choice.threshold(),
              choice.rule(),
              fusion.weights()[k]));
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("support", choice.devCounts().support());
      d.put("negatives", choice.devCounts().negatives());
      d.put("precision", Evaluation.round(choice.devCounts().precision()));
      d.put("recall", Evaluation.round(choice.devCounts().recall()));
      d.put("f1", Evaluation.round(choice.devCounts().f1()));
      d.put(
          "auprc",
          Evaluation.round(
              BinaryMetrics.averagePrecision(calibrated, BinaryMetrics.positive(column.labels()))));
      devReport.put(category, d);
    }

    // Final artifact: weights + configuration, then load it the way the service does.
    String created = Instant.now().toString();
    String version =
        DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(Instant.now())
            + "-"
            + sha.substring(0, 8);
    Path versionDir = options.modelRoot().resolve(version);
    Files.createDirectories(versionDir);
    Files.copy(
        trained.params(), versionDir.resolve(paramsFile), StandardCopyOption.REPLACE_EXISTING);
    fusion.model().write(versionDir.resolve(NgramModel.FILE));
    HeadConfig config =
        config(version, created, outputs, categories, trained, paramsFile, sha, dataset.id())
            .withNgram(
                NgramModel.FILE, Sha256.ofFile(versionDir.resolve(NgramModel.FILE)), categories);
    config.write(versionDir.resolve(HeadConfig.FILE));
    deleteRecursively(staging);

    Map<String, double[]> testScores = new LinkedHashMap<>();
    Map<String, double[]> testRaw = new LinkedHashMap<>();
    long loadStart = System.nanoTime();
    try (ContentModel model = ContentModel.load(versionDir, encoder, Device.cpu())) {
      long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
      List<ContentModel.PageScores> scores =
          scoreAll(model, test.vectors(), chunks(test, chunkTexts));
      writePredictions(
          versionDir.resolve(PREDICTIONS_FILE),
          outputs,
          dev,
          scoreAll(model, dev.vectors(), chunks(dev, chunkTexts)),
          test,
          scores);
      for (int k = 0; k < outputs.size(); k++) {
        double[] calibrated = new double[test.size()];
        double[] raw = new double[test.size()];
        for (int i = 0; i < test.size(); i++) {
          calibrated[i] = scores.get(i).calibrated()[k];
          raw[i] = PlattCalibration.sigmoid(scores.get(i).logits()[k]);
        }
        testScores.put(outputs.get(k), calibrated);
        testRaw.put(outputs.get(k), raw);
      }
      sampling.put("final_model_load_and_verify_ms", loadMillis);
    }

    TrainingReportWriter card =
        new TrainingReportWriter(
            config, dataset, examples, train, dev, test, outputs, notTrained, sampling);
    card.setTraining(trained, positiveWeights, options.params());
    card.setDev(devReport);
    card.setHeadResults(testScores, testRaw);
    card.setEmbedding(embedderStats(examples, vectors));

    // Baselines on the same splits and texts.
    if (options.baselines()) {
      runNgramBaseline(card, train, dev, test, outputs, positiveWeights);
      runPhraseBaseline(card, dev, test, outputs);
    } else {
      card.skipBaseline("hashed_ngram_logistic", "skipped (--no-baselines)");
      card.skipBaseline("e2guardian_phrases", "skipped (--no-baselines)");
    }

    card.write(versionDir);
    if (options.leaveOneSourceOut()) {
      leaveOneSourceOut(
          examples,
          vectors,
          examples.stream().map(e -> ngramText.get(e.id())).toList(),
          outputs,
          scale,
          versionDir,
          dataset.id());
    }
    if (options.release()) {
      Files.writeString(
          options.modelRoot().resolve("RELEASED"), version + "\n", StandardCharsets.UTF_8);
      log.info("RELEASED -> {}", version);
    }
    log.info(
        "content model {} written to {} in {} s",
        version,
        versionDir,
        (System.nanoTime() - start) / 1_000_000_000);
    return versionDir;
  }

  /** Adds loso.json to an existing version trained on this dataset, with its own outputs. */
  private Path leaveOneSourceOutOnly(List<TextExample> usable, Path versionDir) throws IOException {
    HeadConfig config = HeadConfig.read(versionDir.resolve(HeadConfig.FILE));
    if (!options.dataset().id().equals(config.datasetVersion())) {
      throw new IllegalArgumentException(
          versionDir
              + " was trained on "
              + config.datasetVersion()
              + ", not on "
              + options.dataset().id()
              + ": its leave-one-source-out must use its own dataset (--dataset)");
    }
    Embedded embedded = embedUsable(usable);
    List<String> outputs = config.categories().stream().map(CategoryConfig::category).toList();
    leaveOneSourceOut(
        embedded.examples(),
        embedded.vectors(),
        embedded.texts(),
        outputs,
        PagePooling.scale(encoder.dimension()),
        versionDir,
        options.dataset().id());
    return versionDir;
  }

  /** Examples that yield at least one chunk, their chunk vectors and their joined chunk texts. */
  private record Embedded(
      List<TextExample> examples, List<float[][]> vectors, List<String> texts) {}

  private Embedded embedUsable(List<TextExample> usable) throws IOException {
    List<float[][]> vectors;
    CorpusEmbedder embedder;
    try (EmbeddingCache cache =
        EmbeddingCache.open(options.cacheDir(), encoder.id(), encoder.dimension())) {
      embedder = new CorpusEmbedder(extractor, encoder, cache);
      vectors = embedder.embed(usable);
    }
    List<TextExample> examples = new ArrayList<>();
    List<float[][]> kept = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < usable.size(); i++) {
      if (vectors.get(i).length > 0) {
        examples.add(usable.get(i));
        kept.add(vectors.get(i));
        texts.add(
            String.join(
                " ", embedder.chunks(usable.get(i).text()).stream().map(Chunk::text).toList()));
      }
    }
    return new Embedded(examples, kept, texts);
  }

  /**
   * Out-of-source scores of one source for the review queue (see {@link
   * SourceHoldout#writeHeldOutScores}).
   */
  private Path writeHeldOutScores(List<TextExample> usable) throws IOException {
    Embedded embedded = embedUsable(usable);
    List<TextExample> examples = embedded.examples();
    List<float[][]> kept = embedded.vectors();
    List<String> texts = embedded.texts();
    List<String> outputs = new ArrayList<>();
    for (String category : Taxonomy.v1().ids()) {
      int[][] counts =
          LabelMatrix.counts(
              examples.stream().filter(e -> e.split().equals("train")).toList(), List.of(category));
      if (counts[0][0] >= options.minimums().trainPositives()
          && counts[0][1] >= options.minimums().trainPositives()) {
        outputs.add(category);
      }
    }
    EvaluationPolicy policy =
        EvaluationPolicy.resolve(
            null, options.modelRoot().toAbsolutePath().getParent().getParent());
    new SourceHoldout(
            examples,
            pooled(kept, PagePooling.scale(encoder.dimension())),
            texts,
            outputs,
            options.params(),
            policy,
            options.dataset().id())
        .writeHeldOutScores(options.heldOutScoresSource(), options.heldOutScoresFile());
    log.info(
        "out-of-source scores of {} written to {}",
        options.heldOutScoresSource(),
        options.heldOutScoresFile());
    return options.heldOutScoresFile();
  }

  /**
   * Leave-one-source-out ({@link SourceHoldout}): the released head's calibrated scores and
   * standard thresholds are the in-distribution reference; every fold retrains without one source.
   */
  private void leaveOneSourceOut(
      List<TextExample> examples,
      List<float[][]> vectors,
      List<String> texts,
      List<String> outputs,
      float scale,
      Path versionDir,
      String datasetId)
      throws IOException {
    float[][] features = pooled(vectors, scale);
    EvaluationPolicy policy =
        EvaluationPolicy.resolve(
            null, options.modelRoot().toAbsolutePath().getParent().getParent());
    HeadConfig config = HeadConfig.read(versionDir.resolve(HeadConfig.FILE));
    double[][] headLogits;
    try (ContentHead head = ContentHead.load(versionDir, config.architecture(), Device.cpu())) {
      headLogits = SourceHoldout.logits(head, features);
    }
    double[] weights =
        config.categories().stream().mapToDouble(CategoryConfig::ngramWeight).toArray();
    double[][] logits =
        NgramFusion.fuse(
            headLogits,
            NgramFusion.logits(NgramModel.read(versionDir.resolve(NgramModel.FILE)), texts),
            weights);
    List<PlattCalibration> calibrations = new ArrayList<>();
    for (String output : outputs) {
      calibrations.add(
          config.categories().stream()
              .filter(c -> c.category().equals(output))
              .findFirst()
              .map(CategoryConfig::calibration)
              .orElse(PlattCalibration.IDENTITY));
    }
    SourceHoldout.Scored full =
        SourceHoldout.full(examples, logits, calibrations, outputs, policy, datasetId);
    var report =
        new SourceHoldout(examples, features, texts, outputs, options.params(), policy, datasetId)
            .run(full);
    SourceHoldout.write(report, versionDir);
    log.info("leave-one-source-out: {} folds written to {}", report.folds().size(), versionDir);
  }

  /** Dev and test predictions in the eval module's predictions-file format, plus the split. */
  static final String PREDICTIONS_FILE = "predictions-dev-test.jsonl.gz";

  private static void writePredictions(
      Path file,
      List<String> outputs,
      Split dev,
      List<ContentModel.PageScores> devScores,
      Split test,
      List<ContentModel.PageScores> testScores)
      throws IOException {
    var mapper = DatasetVersion.mapper();
    try (var out =
        new BufferedWriter(
            new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8))) {
      for (Split split : List.of(dev, test)) {
        List<ContentModel.PageScores> scores = split == dev ? devScores : testScores;
        String name = split == dev ? "dev" : "test";
        for (int i = 0; i < split.size(); i++) {
          Map<String, Object> line = new LinkedHashMap<>();
          // The eval module's example id for a dataset text ("text:" + record id).
          line.put("id", "text:" + split.examples().get(i).id());
          line.put("split", name);
          Map<String, Double> s = new LinkedHashMap<>();
          for (int k = 0; k < outputs.size(); k++) {
            s.put(outputs.get(k), Math.round(scores.get(i).calibrated()[k] * 1e5) / 1e5);
          }
          line.put("scores", s);
          out.write(mapper.writeValueAsString(line));
          out.write('\n');
        }
      }
    }
  }

  private void runNgramBaseline(
      TrainingReportWriter card,
      Split train,
      Split dev,
      Split test,
      List<String> outputs,
      double[] positiveWeights) {
    long start = System.nanoTime();
    HashedNgramLogistic ngram = new HashedNgramLogistic(HashedNgramLogistic.Params.defaults());
    List<String> trainTexts = train.examples().stream().map(this::baselineText).toList();
    ngram.fit(trainTexts, LabelMatrix.of(train.examples(), outputs, positiveWeights));
    Map<String, double[]> devScores = predict(dev, outputs, t -> ngram.predict(baselineText(t)));
    Map<String, double[]> testScores = predict(test, outputs, t -> ngram.predict(baselineText(t)));
    Map<String, Double> thresholds = new LinkedHashMap<>();
    Map<String, String> rules = new LinkedHashMap<>();
    for (String category : outputs) {
      Evaluation.Column column =
          Evaluation.column(dev.examples(), category, devScores.get(category));
      DevThreshold choice = chooseThreshold(category, column.scores(), column.labels());
      thresholds.put(category, choice.threshold());
      rules.put(category, choice.rule());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put(
        "features",
        "hashed word unigrams + bigrams (2^"
            + HashedNgramLogistic.Params.defaults().hashBits()
            + " buckets), sublinear tf x idf (train split), L2-normalized");
    details.put(
        "training",
        "per-category logistic regression, AdaGrad, "
            + HashedNgramLogistic.Params.defaults().epochs()
            + " epochs, same masked class-weighted objective as the head");
    details.put("non_zero_weights", ngram.nonZeroWeights());
    details.put("train_seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
    card.addBaseline(
        "hashed_ngram_logistic",
        "Hashed n-gram logistic regression (TF-IDF-style, trained in Java)",
        details,
        testScores,
        thresholds,
        rules);
  }

  private void runPhraseBaseline(
      TrainingReportWriter card, Split dev, Split test, List<String> outputs) {
    Path lists = options.phraseLists();
    if (lists == null || !Files.isDirectory(lists)) {
      card.skipBaseline(
          "e2guardian_phrases",
          "e2guardian phrase lists not found at "
              + lists
              + " (apt-get install e2guardian to compare)");
      return;
    }
    PhraseListScorer phrases = PhraseListScorer.load(lists);
    List<String> covered = outputs.stream().filter(phrases::hasCategory).toList();
    Map<String, double[]> devScores =
        predict(dev, covered, t -> phrases.score(baselineText(t), covered));
    Map<String, double[]> testScores =
        predict(test, covered, t -> phrases.score(baselineText(t), covered));
    Map<String, Double> thresholds = new LinkedHashMap<>();
    Map<String, String> rules = new LinkedHashMap<>();
    Map<String, Object> atLimit = new LinkedHashMap<>();
    for (String category : covered) {
      Evaluation.Column column =
          Evaluation.column(dev.examples(), category, devScores.get(category));
      DevThreshold choice = maxF1(column.scores(), column.labels());
      thresholds.put(category, choice.threshold());
      rules.put(category, choice.rule());
      atLimit.put(
          category,
          Evaluation.category(
                  test.examples(),
                  category,
                  testScores.get(category),
                  PhraseListScorer.E2GUARDIAN_NAUGHTINESS_LIMIT,
                  false)
              .toMap());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("lists", lists.toString());
    details.put("mapping", PhraseListScorer.CATEGORY_LISTS);
    details.put("good_phrase_lists", PhraseListScorer.GOOD_PHRASE_LISTS);
    details.put("no_list_for", outputs.stream().filter(c -> !phrases.hasCategory(c)).toList());
    details.put(
        "test_at_naughtiness_limit_" + PhraseListScorer.E2GUARDIAN_NAUGHTINESS_LIMIT, atLimit);
    card.addBaseline(
        "e2guardian_phrases",
        "e2guardian 5.3.5 weighted phrase lists (weightedphrasemode 2)",
        details,
        testScores,
        thresholds,
        rules);
  }

  /** The text a baseline reads: the extractor's output for the dataset text (same as the model). */
  private String baselineText(TextExample example) {
    ExtractedPage page = extractor.extractText(example.text());
    return page.body();
  }

  private static Map<String, double[]> predict(
      Split split, List<String> categories, Function<TextExample, double[]> scorer) {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String category : categories) {
      out.put(category, new double[split.size()]);
    }
    for (int i = 0; i < split.size(); i++) {
      double[] scores = scorer.apply(split.examples().get(i));
      for (int k = 0; k < categories.size(); k++) {
        out.get(categories.get(k))[i] = scores[k];
      }
    }
    return out;
  }

  private List<TextExample> subsample(List<TextExample> all, Map<String, Object> report) {
    int cap = options.maxTrainNegativesPerSource();
    report.put("max_train_negatives_per_source", cap == 0 ? "none" : cap);
    if (cap <= 0) {
      return all;
    }
    Map<String, List<TextExample>> negativesBySource = new TreeMap<>();
    List<TextExample> out = new ArrayList<>();
    for (TextExample e : all) {
      if (e.split().equals("train") && e.labels().isEmpty()) {
        negativesBySource.computeIfAbsent(e.source(), s -> new ArrayList<>()).add(e);
      } else {
        out.add(e);
      }
    }
    Map<String, Object> kept = new LinkedHashMap<>();
    negativesBySource.forEach(
        (source, list) -> {
          list.sort(Comparator.comparing(e -> Sha256.of(e.id())));
          List<TextExample> take = list.subList(0, Math.min(cap, list.size()));
          out.addAll(take);
          if (list.size() > cap) {
            kept.put(
                source,
                take.size() + " of " + list.size() + " train negatives (hash-ordered sample)");
          }
        });
    report.put("subsampled", kept);
    return out;
  }

  static double[] positiveWeights(List<TextExample> train, List<String> categories) {
    int[][] counts = LabelMatrix.counts(train, categories);
    double[] weights = new double[categories.size()];
    for (int k = 0; k < categories.size(); k++) {
      double ratio = (double) counts[k][1] / Math.max(1, counts[k][0]);
      weights[k] = Math.max(1.0, Math.min(10.0, Math.sqrt(ratio)));
    }
    return weights;
  }

  private static String insufficiency(Minimums minimums, int[] dev, int[] test) {
    List<String> reasons = new ArrayList<>();
    if (dev[0] < minimums.devPositives()) {
      reasons.add("dev positives " + dev[0] + " < " + minimums.devPositives());
    }
    if (test[0] < minimums.testPositives()) {
      reasons.add("test positives " + test[0] + " < " + minimums.testPositives());
    }
    if (dev[1] < minimums.evalNegatives() || test[1] < minimums.evalNegatives()) {
      reasons.add(
          "in-scope negatives dev "
              + dev[1]
              + " / test "
              + test[1]
              + " < "
              + minimums.evalNegatives());
    }
    return reasons.isEmpty() ? "" : "insufficient data: " + String.join("; ", reasons);
  }

  private static List<CategoryConfig> identityCategories(List<String> outputs) {
    return outputs.stream()
        .map(c -> new CategoryConfig(c, true, "", PlattCalibration.IDENTITY, 0.5, "provisional"))
        .toList();
  }

  private HeadConfig config(
      String version,
      String created,
      List<String> outputs,
      List<CategoryConfig> categories,
      HeadTrainer.Result trained,
      String paramsFile,
      String sha,
      String datasetId)
      throws IOException {
    HeadArchitecture architecture = trained.architecture();
    Map<String, Object> training = new LinkedHashMap<>(options.params().asMap());
    training.put("loss", "masked class-weighted binary cross-entropy (label_scope mask)");
    training.put("best_epoch", trained.bestEpoch());
    training.put("best_dev_loss", Evaluation.round(trained.bestDevLoss()));
    training.put("best_dev_macro_auprc", Evaluation.round(trained.bestDevAuprc()));
    training.put("model_selection", "best dev macro AUPRC");
    training.put(
        "engine",
        "DJL "
            + Engine.getDjlVersion()
            + " / PyTorch "
            + Engine.getEngine(ContentHead.ENGINE).getVersion());
    return new HeadConfig(
        ContentTier.MODEL_NAME,
        version,
        created,
        Taxonomy.VERSION,
        encoder.id(),
        extractor.limits().wordsPerChunk(),
        extractor.limits().maxChunks(),
        HeadConfig.POOLING_MEAN_MAX,
        PagePooling.scale(encoder.dimension()),
        architecture,
        categories,
        datasetId,
        training,
        paramsFile,
        sha,
        Files.size(trained.params()),
        options.codeCommit());
  }

  static float[][] pooled(List<float[][]> vectors, float scale) {
    float[][] out = new float[vectors.size()][];
    for (int i = 0; i < vectors.size(); i++) {
      out[i] = PagePooling.meanMax(vectors.get(i), scale);
    }
    return out;
  }

  private static List<ContentModel.PageScores> scoreAll(
      ContentModel model, List<float[][]> vectors, List<List<String>> chunkTexts) {
    List<ContentModel.PageScores> out = new ArrayList<>(vectors.size());
    for (int from = 0; from < vectors.size(); from += 256) {
      int to = Math.min(vectors.size(), from + 256);
      out.addAll(
          (chunkTexts == null
                  ? model.scoreEmbeddings(vectors.subList(from, to))
                  : model.scoreEmbeddings(vectors.subList(from, to), chunkTexts.subList(from, to)))
              .pages());
    }
    return out;
  }

  private static double[][] logits(ContentModel model, List<float[][]> vectors) {
    return scoreAll(model, vectors, null).stream()
        .map(ContentModel.PageScores::logits)
        .toArray(double[][]::new);
  }

  private static List<String> texts(Split split, Map<String, String> ngramText) {
    return split.examples().stream().map(e -> ngramText.get(e.id())).toList();
  }

  private static List<List<String>> chunks(Split split, Map<String, List<String>> chunkTexts) {
    return split.examples().stream().map(e -> chunkTexts.get(e.id())).toList();
  }

  private static double[] columnOf(double[][] rows, int k) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i][k];
    }
    return out;
  }

  private Map<String, Object> embedderStats(List<TextExample> examples, List<float[][]> vectors) {
    Map<String, Object> stats = new LinkedHashMap<>();
    Map<String, int[]> byKind = new TreeMap<>();
    for (int i = 0; i < examples.size(); i++) {
      int[] s = byKind.computeIfAbsent(examples.get(i).kind(), k -> new int[3]);
      s[0]++;
      s[1] += vectors.get(i).length;
      s[2] = Math.max(s[2], vectors.get(i).length);
    }
    Map<String, Object> chunks = new LinkedHashMap<>();
    byKind.forEach(
        (kind, s) ->
            chunks.put(
                kind,
                Map.of(
                    "texts",
                    s[0],
                    "mean_chunks",
                    Evaluation.round((double) s[1] / s[0]),
                    "max_chunks",
                    s[2])));
    stats.put("encoder", encoder.id());
    stats.put("words_per_chunk", extractor.limits().wordsPerChunk());
    stats.put("max_chunks_per_page", extractor.limits().maxChunks());
    stats.put("chunks_by_kind", chunks);
    return stats;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  /** The examples of one split with their chunk vectors. */
  record Split(List<TextExample> examples, List<float[][]> vectors) {
    static Split of(List<TextExample> all, List<float[][]> vectors, String split) {
      List<TextExample> e = new ArrayList<>();
      List<float[][]> v = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).split().equals(split)) {
          e.add(all.get(i));
          v.add(vectors.get(i));
        }
      }
      return new Split(e, v);
    }

    int size() {
      return examples.size();
    }
  }
}
