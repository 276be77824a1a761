package dev.sieve.url.train;

import com.google.common.hash.Hashing;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.Split;
import dev.sieve.core.metrics.BinaryMetrics;
import dev.sieve.core.scoring.PlattScaling;
import dev.sieve.core.taxonomy.DefaultAction;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.Sha256;
import dev.sieve.eval.metrics.GroupCounts;
import dev.sieve.eval.metrics.RankedCategory;
import dev.sieve.eval.threshold.ThresholdRule;
import dev.sieve.eval.threshold.ThresholdSelector;
import dev.sieve.url.features.FeatureConfig;
import dev.sieve.url.features.UrlFeaturizer;
import dev.sieve.url.features.Vocabulary;
import dev.sieve.url.model.CategoryParams;
import dev.sieve.url.model.LexicalUrlModel;
import dev.sieve.url.model.ModelArtifacts;
import dev.sieve.url.model.ModelManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains the lexical URL model on a dataset version: one-vs-rest logistic regression
 * (FTRL-Proximal) on the training split, int8 quantization, Platt calibration and thresholds on the
 * dev split. The test split is never touched here (see {@link
 * dev.sieve.url.eval.UrlModelEvaluator}).
 *
 * <p>Examples and weights for category c:
 *
 * <ul>
 *   <li>positive: hosts labelled c, weighted up to balance the negatives (capped);
 *   <li>negative, weight 1: hosts whose labels are complete for c, i.e. background hosts ({@code
 *       label_scope ["*"]}, ordinary popular sites with list members subtracted);
 *   <li>out of scope: hosts from other lists (a gambling-list host says nothing about adult) are
 *       weak negatives with weight {@code outOfScopeWeight} (default 0.03; 0 excludes them). The
 *       weight trades two dev measurements (15 categories, released features): excluding them gives
 *       the best in-scope macro AP / F1 (0.749 / 0.695) but the thresholds then fire on 8.0% of
 *       other lists' hosts (ordinary shopping, news, games sites among them); 0.03 keeps 0.739 /
 *       0.691 and cuts that to 2.5%; 0.1 gives 0.727 / 0.676 and 1.6%; 1.0 gives 0.691 / 0.633 and
 *       0.7%. Lists overlap and are incomplete (a dating site is often adult), which is why a
 *       full-weight negative hurts.
 *   <li>every host's weight is damped by its registered domain's size ({@code min(1, cap /
 *       hosts)}), so that 20,000 CDN subdomains of one service do not outvote 20,000 distinct
 *       sites.
 * </ul>
 */
public final class UrlModelTrainer {

  /** Training options; {@link #defaults()} are the released configuration. */
  public record Options(
      long seed,
      FeatureConfig features,
      FtrlLogisticRegression.Params ftrl,
      double outOfScopeWeight,
      double maxPositiveWeight,
      int groupCap,
      double maxBackgroundFlagRate,
      double maxBackgroundFlagRateAllowed,
      int minTrainPositives,
      int vocabularyMinCount,
      int vocabularyMaxWords,
      boolean vocabularyFromTexts,
      int threads,
      double outOfScopeSampleRate) {

    public static Options defaults() {
      return new Options(
          17,
          FeatureConfig.defaults(),
          FtrlLogisticRegression.Params.defaults(),
          0.03,
          20,
          20,
          0.01,
          0.03,
          50,
          2,
          50_000,
          true,
          2,
          1.0);
    }

    public Options withFeatures(FeatureConfig f) {
      return new Options(
          seed,
          f,
          ftrl,
          outOfScopeWeight,
          maxPositiveWeight,
          groupCap,
          maxBackgroundFlagRate,
          maxBackgroundFlagRateAllowed,
          minTrainPositives,
          vocabularyMinCount,
          vocabularyMaxWords,
          vocabularyFromTexts,
          threads,
          outOfScopeSampleRate);
    }

    public Options withSeed(long s) {
      return new Options(
          s,
          features,
          ftrl,
          outOfScopeWeight,
          maxPositiveWeight,
          groupCap,
          maxBackgroundFlagRate,
          maxBackgroundFlagRateAllowed,
          minTrainPositives,
          vocabularyMinCount,
          vocabularyMaxWords,
          vocabularyFromTexts,
          threads,
          outOfScopeSampleRate);
    }

    public Options withOutOfScopeWeight(double w) {
      return new Options(
          seed,
          features,
          ftrl,
          w,
          maxPositiveWeight,
          groupCap,
          maxBackgroundFlagRate,
          maxBackgroundFlagRateAllowed,
          minTrainPositives,
          vocabularyMinCount,
          vocabularyMaxWords,
          vocabularyFromTexts,
          threads,
          outOfScopeSampleRate);
    }

    public Options withFtrl(FtrlLogisticRegression.Params p) {
      return new Options(
          seed,
          features,
          p,
          outOfScopeWeight,
          maxPositiveWeight,
          groupCap,
          maxBackgroundFlagRate,
          maxBackgroundFlagRateAllowed,
          minTrainPositives,
          vocabularyMinCount,
          vocabularyMaxWords,
          vocabularyFromTexts,
          threads,
          outOfScopeSampleRate);
    }

    public Options withMinTrainPositives(int m) {
      return new Options(
          seed,
          features,
          ftrl,
          outOfScopeWeight,
          maxPositiveWeight,
          groupCap,
          maxBackgroundFlagRate,
          maxBackgroundFlagRateAllowed,
          m,
          vocabularyMinCount,
          vocabularyMaxWords,
          vocabularyFromTexts,
          threads,
          outOfScopeSampleRate);
    }

    /**
     * Keeps each out-of-scope host with this probability (deterministic by host hash and category)
     * and scales its weight by the inverse: the same expected loss, a fraction of the work.
     */
    public Options withOutOfScopeSampleRate(double rate) {
      return new Options(
          seed,
          features,
          ftrl,
          outOfScopeWeight,
          maxPositiveWeight,
          groupCap,
          maxBackgroundFlagRate,
          maxBackgroundFlagRateAllowed,
          minTrainPositives,
          vocabularyMinCount,
          vocabularyMaxWords,
          vocabularyFromTexts,
          threads,
          rate);
    }

    public Options withThreads(int t) {
      return new Options(
          seed,
          features,
          ftrl,
          outOfScopeWeight,
          maxPositiveWeight,
          groupCap,
          maxBackgroundFlagRate,
          maxBackgroundFlagRateAllowed,
          minTrainPositives,
          vocabularyMinCount,
          vocabularyMaxWords,
          vocabularyFromTexts,
          t,
          outOfScopeSampleRate);
    }

    /**
     * The dev background flag-rate budget of a category: the strict one where a positive decision
     * blocks or alerts under the K-12 default policy, the looser one where it is only observed.
     */
    public double backgroundBudget(String category) {
      return Taxonomy.v1()
              .find(category)
              .map(c -> c.defaultAction() == DefaultAction.ALLOW)
              .orElse(false)
          ? maxBackgroundFlagRateAllowed
          : maxBackgroundFlagRate;
    }

    /** The parameters as recorded in model.json. */
    Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(
          "algorithm",
          "one-vs-rest logistic regression, FTRL-Proximal (McMahan et al. 2013), binary hashed features");
      m.put("seed", seed);
      m.put("ftrl_alpha", ftrl.alpha());
      m.put("ftrl_beta", ftrl.beta());
      m.put("ftrl_l1", ftrl.l1());
      m.put("ftrl_l2", ftrl.l2());
      m.put("epochs", ftrl.epochs());
      m.put("out_of_scope_negative_weight", outOfScopeWeight);
      m.put("out_of_scope_sample_rate", outOfScopeSampleRate);
      m.put(
          "positive_weight",
          "min("
              + maxPositiveWeight
              + ", max(1, sum of negative weights / sum of positive weights))");
      m.put("group_damping", "weight x min(1, " + groupCap + " / hosts in the registered domain)");
      m.put(
          "max_dev_background_flag_rate",
          maxBackgroundFlagRate
              + " for categories whose K-12 default action blocks or alerts; "
              + maxBackgroundFlagRateAllowed
              + " for categories allowed by default (observed, not blocked, unless a tenant blocks them)");
      m.put("min_train_positives", minTrainPositives);
      m.put(
          "vocabulary",
          "train-split hyphen/digit-delimited host words"
              + (vocabularyFromTexts ? " + train-split text words" : "")
              + ", min count "
              + vocabularyMinCount
              + ", at most "
              + vocabularyMaxWords
              + " words");
      m.put("calibration", "Platt scaling per category on dev (positives vs dev background)");
      m.put("quantization", "int8 per category, scale = max |w| / 127");
      return m;
    }
  }

  /** Dev-split numbers of one category (for the training report and for comparing alternatives). */
  public record DevCategory(
      String category,
      int trainPositives,
      int devPositives,
      int devBackground,
      double positiveWeight,
      int nonZeroWeights,
      double devAveragePrecisionFloat,
      double devAveragePrecision,
      double plattA,
      double plattB,
      DevThreshold threshold,
      double devStrictAveragePrecision,
      double devOtherListsFlagRate) {}

  /** Everything a training run produced (the model is in memory; save it with {@link #save}). */
  public record Trained(
      LexicalUrlModel model,
      ModelManifest manifest,
      Vocabulary vocabulary,
      byte[] weights,
      float[] bias,
      float[] scale,
      DomainExamples examples,
      FeatureMatrix matrix,
      int[] taxonomyBit,
      List<DevCategory> dev,
      Map<String, Long> timingsMillis) {}

  /**
   * At most this many hosts of one registered domain enter dev calibration/thresholds and test
   * evaluation (see {@link DomainExamples#rows(Split, int)}).
   */
  public static final int EVALUATION_GROUP_CAP = 5;

  private final Options options;

  public UrlModelTrainer(Options options) {
    this.options = options;
  }

  /** Loads the dataset's host records and trains. */
  public Trained train(DatasetVersion dataset, String codeCommit) {
    long t0 = System.currentTimeMillis();
    DomainExamples examples = DomainExamples.load(dataset, Taxonomy.v1().ids());
    Progress.log(
        "loaded %d host records of dataset %s in %d ms",
        examples.size(), dataset.id(), System.currentTimeMillis() - t0);
    VocabularyBuilder vocabulary = new VocabularyBuilder().addTrainHosts(examples);
    if (options.vocabularyFromTexts()) {
      vocabulary.addTrainTexts(dataset);
    }
    return train(
        examples,
        vocabulary.build(options.vocabularyMinCount(), options.vocabularyMaxWords()),
        codeCommit);
  }

  /**
   * Trains on examples encoded over the full taxonomy ({@link Taxonomy#ids()} order) with the given
   * segmentation vocabulary (learned from the training split only).
   */
  public Trained train(DomainExamples examples, Vocabulary vocabulary, String codeCommit) {
    Map<String, Long> timings = new LinkedHashMap<>();
    long t0 = System.currentTimeMillis();
    UrlFeaturizer featurizer = new UrlFeaturizer(options.features(), vocabulary);
    FeatureMatrix matrix = FeatureMatrix.build(examples, featurizer, options.threads());
    timings.put("featurize", System.currentTimeMillis() - t0);
    Progress.log(
        "featurized %d hosts (%d features, %d rejected by the normalizer, vocabulary %d words) in %d ms",
        matrix.rows(),
        matrix.nonZeros(),
        matrix.rejected(),
        vocabulary.size(),
        timings.get("featurize"));
    return trainOn(examples, matrix, featurizer, codeCommit, timings);
  }

  Trained trainOn(
      DomainExamples examples,
      FeatureMatrix matrix,
      UrlFeaturizer featurizer,
      String codeCommit,
      Map<String, Long> timings) {
    List<String> taxonomy = examples.categories();
    List<Integer> bits = new ArrayList<>();
    List<String> modelCategories = new ArrayList<>();
    for (int k = 0; k < taxonomy.size(); k++) {
      int positives = examples.positives(k, Split.TRAIN);
      if (positives >= options.minTrainPositives()) {
        bits.add(k);
        modelCategories.add(taxonomy.get(k));
      } else {
        Progress.log(
            "category %s: %d train positives < %d, no model (the tier has no opinion)",
            taxonomy.get(k), positives, options.minTrainPositives());
      }
    }
    int c = modelCategories.size();
    int buckets = options.features().buckets();
    int[] groupSizes = examples.groupSizes();

    long t1 = System.currentTimeMillis();
    FtrlLogisticRegression.Weights[] trained = new FtrlLogisticRegression.Weights[c];
    double[] positiveWeights = new double[c];
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.threads()));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int j = 0; j < c; j++) {
        int slot = j;
        int bit = bits.get(j);
        futures.add(
            pool.submit(
                () -> {
                  long s = System.currentTimeMillis();
                  TrainingSet set = trainingSet(examples, bit, groupSizes);
                  positiveWeights[slot] = set.positiveWeight;
                  trained[slot] =
                      FtrlLogisticRegression.train(
                          matrix,
                          set.rows,
                          set.targets,
                          set.weights,
                          buckets,
                          options.ftrl(),
                          options.seed() * 31 + bit);
                  Progress.log(
                      "trained %-20s on %,d examples (%,d positives, positive weight %.2f) in %d ms, %,d non-zero weights",
                      modelCategories.get(slot),
                      set.rows.length,
                      set.positives,
                      set.positiveWeight,
                      System.currentTimeMillis() - s,
                      trained[slot].nonZeros());
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("training failed", e);
    } finally {
      pool.shutdownNow();
    }
    timings.put("train", System.currentTimeMillis() - t1);

    // Quantize to int8, bucket-major.
    byte[] q = new byte[buckets * c];
    float[] bias = new float[c];
    float[] scale = new float[c];
    int[] nonZeros = new int[c];
    for (int j = 0; j < c; j++) {
      float[] w = trained[j].w();
      float maxAbs = 0;
      for (float v : w) {
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      scale[j] = maxAbs == 0 ? 1f : maxAbs / 127f;
      bias[j] = trained[j].bias();
      for (int b = 0; b < buckets; b++) {
        int v = Math.round(w[b] / scale[j]);
        byte qb = (byte) Math.max(-127, Math.min(127, v));
        q[b * c + j] = qb;
        if (qb != 0) {
          nonZeros[j]++;
        }
      }
    }

    // Calibrate and choose thresholds on dev, on the quantized model's scores.
    long t2 = System.currentTimeMillis();
    List<CategoryParams> params = new ArrayList<>();
    List<DevCategory> dev = new ArrayList<>();
    int[] devRows = examples.rows(Split.DEV, EVALUATION_GROUP_CAP);
    for (int j = 0; j < c; j++) {
      int bit = bits.get(j);
      List<Integer> inScope = new ArrayList<>();
      for (int row : devRows) {
        if (examples.inScope(row, bit)) {
          inScope.add(row);
        }
      }
      int m = inScope.size();
      double[] logits = new double[m];
      double[] floatLogits = new double[m];
      boolean[] positive = new boolean[m];
      boolean[] background = new boolean[m];
      int devPositives = 0;
      int devBackground = 0;
      for (int i = 0; i < m; i++) {
        int row = inScope.get(i);
        int acc = 0;
        double f = trained[j].bias();
        for (int k = matrix.start[row]; k < matrix.start[row + 1]; k++) {
          acc += q[matrix.buckets[k] * c + j];
          f += trained[j].w()[matrix.buckets[k]];
        }
        logits[i] = bias[j] + scale[j] * acc;
        floatLogits[i] = f;
        positive[i] = examples.isPositive(row, bit);
        background[i] = examples.isBackground(row);
        if (positive[i]) devPositives++;
        if (background[i] && !positive[i]) devBackground++;
      }
      double[] ab = PlattScaling.fit(logits, positive);
      double[] calibrated = new double[m];
      for (int i = 0; i < m; i++) {
        calibrated[i] = 1 / (1 + Math.exp(-(ab[0] * logits[i] + ab[1])));
      }
      DevThreshold choice =
          chooseThreshold(
              calibrated, positive, background, options.backgroundBudget(modelCategories.get(j)));
      String category = modelCategories.get(j);
      // Hosts of other lists (unknown for this category): how often the threshold fires on them,
      // and
      // the AP when they count as negatives (a pessimistic view, reported next to the in-scope
      // one).
      List<Double> strictScores = new ArrayList<>();
      List<Boolean> strictPositive = new ArrayList<>();
      for (int i = 0; i < m; i++) {
        strictScores.add(logits[i]);
        strictPositive.add(positive[i]);
      }
      int others = 0;
      int othersFlagged = 0;
      for (int row : devRows) {
        if (examples.inScope(row, bit) || examples.isBackground(row)) {
          continue;
        }
        int acc = 0;
        for (int k = matrix.start[row]; k < matrix.start[row + 1]; k++) {
          acc += q[matrix.buckets[k] * c + j];
        }
        double logit = bias[j] + scale[j] * acc;
        strictScores.add(logit);
        strictPositive.add(false);
        others++;
        if (1 / (1 + Math.exp(-(ab[0] * logit + ab[1]))) >= choice.threshold()) {
          othersFlagged++;
        }
      }
      double[] strictArray = strictScores.stream().mapToDouble(Double::doubleValue).toArray();
      boolean[] strictLabels = new boolean[strictArray.length];
      for (int i = 0; i < strictLabels.length; i++) {
        strictLabels[i] = strictPositive.get(i);
      }
      double strictAp = BinaryMetrics.averagePrecision(strictArray, strictLabels);
      double otherListsFlagRate = others == 0 ? Double.NaN : (double) othersFlagged / others;
      params.add(
          new CategoryParams(
              category,
              ab[0],
              ab[1],
              choice.threshold(),
              choice.rule(),
              examples.positives(bit, Split.TRAIN),
              nonZeros[j]));
      dev.add(
          new DevCategory(
              category,
              examples.positives(bit, Split.TRAIN),
              devPositives,
              devBackground,
              positiveWeights[j],
              nonZeros[j],
              BinaryMetrics.averagePrecision(floatLogits, positive),
              BinaryMetrics.averagePrecision(logits, positive),
              ab[0],
              ab[1],
              choice,
              strictAp,
              otherListsFlagRate));
      Progress.log(
          "dev %-20s AP %.3f (float %.3f, strict %.3f) threshold %.3f: P %.3f R %.3f F1 %.3f, background flagged %.4f, "
              + "other lists flagged %.4f (%d pos, %d bg)",
          category,
          BinaryMetrics.averagePrecision(logits, positive),
          BinaryMetrics.averagePrecision(floatLogits, positive),
          strictAp,
          choice.threshold(),
          choice.precision(),
          choice.recall(),
          choice.f1(),
          choice.backgroundFlagRate(),
          otherListsFlagRate,
          devPositives,
          devBackground);
    }
    timings.put("calibrate", System.currentTimeMillis() - t2);

    String version = "v1-" + contentHash(q, bias, scale, featurizer, params).substring(0, 12);
    ModelManifest manifest =
        new ModelManifest(
            LexicalUrlModel.NAME,
            version,
            ModelManifest.FORMAT,
            examples.datasetVersion(),
            codeCommit,
            options.features(),
            "int8 per category (scale = max |w| / 127), bucket-major",
            params,
            options.asMap(),
            Map.of());
    String configHash;
    try {
      configHash = Sha256.of(ModelArtifacts.json().writeValueAsBytes(manifest));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    LexicalUrlModel model = new LexicalUrlModel(manifest, configHash, featurizer, q, bias, scale);
    int[] taxonomyBit = bits.stream().mapToInt(Integer::intValue).toArray();
    return new Trained(
        model,
        manifest,
        featurizer.vocabulary(),
        q,
        bias,
        scale,
        examples,
        matrix,
        taxonomyBit,
        dev,
        timings);
  }

  /** The rows, targets and weights one category trains on. */
  private record TrainingSet(
      int[] rows, byte[] targets, float[] weights, int positives, double positiveWeight) {}

  private TrainingSet trainingSet(DomainExamples examples, int bit, int[] groupSizes) {
    int size = examples.size();
    int[] rows = new int[size];
    byte[] targets = new byte[size];
    float[] weights = new float[size];
    int n = 0;
    double positiveSum = 0;
    double negativeSum = 0;
    int positives = 0;
    for (int i = 0; i < size; i++) {
      if (examples.split(i) != Split.TRAIN) {
        continue;
      }
      double damping = Math.min(1.0, (double) options.groupCap() / groupSizes[i]);
      boolean positive = examples.isPositive(i, bit);
      double w;
      if (positive) {
        w = damping;
        positiveSum += w;
        positives++;
      } else if (examples.inScope(i, bit)) {
        w = damping;
        negativeSum += w;
      } else {
        double rate = options.outOfScopeSampleRate();
        if (rate < 1 && !sampled(examples.host(i), bit, rate)) {
          continue;
        }
        w = options.outOfScopeWeight() * damping / rate;
        negativeSum += w;
      }
      if (w <= 0) {
        continue;
      }
      rows[n] = i;
      targets[n] = (byte) (positive ? 1 : 0);
      weights[n] = (float) w;
      n++;
    }
    double positiveWeight =
        positiveSum == 0
            ? 1
            : Math.min(options.maxPositiveWeight(), Math.max(1, negativeSum / positiveSum));
    for (int i = 0; i < n; i++) {
      if (targets[i] == 1) {
        weights[i] = (float) (weights[i] * positiveWeight);
      }
    }
    return new TrainingSet(
        Arrays.copyOf(rows, n),
        Arrays.copyOf(targets, n),
        Arrays.copyOf(weights, n),
        positives,
        positiveWeight);
  }

  /** Deterministic Bernoulli(rate) draw from the host and the category. */
  static boolean sampled(String host, int bit, double rate) {
    int h = Hashing.murmur3_32_fixed(bit).hashUnencodedChars(host).asInt();
    return ((h >>> 1) / (double) (1 << 30) / 2) < rate;
  }

  private static String contentHash(
      byte[] q,
      float[] bias,
      float[] scale,
      UrlFeaturizer featurizer,
      List<CategoryParams> params) {
    MessageDigest digest = Sha256.newDigest();
    digest.update(q);
    for (float f : bias) {
      digest.update(Float.toString(f).getBytes(StandardCharsets.UTF_8));
    }
    for (float f : scale) {
      digest.update(Float.toString(f).getBytes(StandardCharsets.UTF_8));
    }
    digest.update(featurizer.config().toString().getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, Long> e : featurizer.vocabulary().counts().entrySet()) {
      digest.update((e.getKey() + "\t" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    digest.update(params.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Writes the trained model into {@code <modelRoot>/<version>/}; returns the written manifest. */
  public static ModelManifest save(Trained trained, Path modelRoot) {
    return ModelArtifacts.save(
        modelRoot.resolve(trained.manifest().version()),
        trained.manifest(),
        trained.vocabulary(),
        trained.weights(),
        trained.bias(),
        trained.scale());
  }

  /**
   * A category's dev-chosen threshold and the dev numbers behind it.
   *
   * @param backgroundFlagRate share of dev background hosts (ordinary popular sites) flagged
   */
  public record DevThreshold(
      double threshold,
      double f1,
      double precision,
      double recall,
      double backgroundFlagRate,
      String rule) {}

  /**
   * The threshold with the best dev F1 among those that flag at most {@code maxBackgroundFlagRate}
   * of the dev background hosts, chosen by the evaluation standard's selector: tuning against a
   * realistic background, not only against the mix of lists, is what keeps over-blocking low in
   * production. The threshold is then placed halfway to the next lower dev score (0 below the
   * lowest), so tiny float noise between training and serving cannot flip a tie.
   *
   * @param scores calibrated dev scores of the in-scope examples
   * @param positive labels of those examples
   * @param isBackground which examples are background hosts (the over-blocking reference)
   * @param maxBackgroundFlagRate the over-blocking budget, e.g. 0.01
   */
  public static DevThreshold chooseThreshold(
      double[] scores, boolean[] positive, boolean[] isBackground, double maxBackgroundFlagRate) {
    String rule =
        String.format(
            Locale.ROOT,
            "max dev F1 subject to dev background flag rate <= %.3f",
            maxBackgroundFlagRate);
    GroupCounts counts = RankedCategory.of(scores, positive, isBackground).counts();
    if (counts.totalPos() == 0) {
      return new DevThreshold(
          1.0, Double.NaN, Double.NaN, Double.NaN, 0, rule + " (no dev positives: threshold 1.0)");
    }
    double chosen =
        ThresholdSelector.choose(
                counts,
                new ThresholdRule("max_f1", null, null, maxBackgroundFlagRate, null, null),
                1)
            .threshold();
    int group = 0;
    while (group < counts.groups() && counts.score()[group] != chosen) {
      group++;
    }
    if (group == counts.groups()) {
      // "Flag nothing": no threshold that flags anything stays within the budget.
      return new DevThreshold(1.0, 0, Double.NaN, 0, 0, rule);
    }
    BinaryMetrics.Confusion at = BinaryMetrics.confusion(scores, positive, chosen);
    double next = group + 1 < counts.groups() ? counts.score()[group + 1] : 0;
    double flagRate = counts.totalBg() == 0 ? 0 : counts.at(chosen).backgroundFlagRate();
    return new DevThreshold(
        (chosen + next) / 2, at.f1(), at.precision(), at.recall(), flagRate, rule);
  }
}
