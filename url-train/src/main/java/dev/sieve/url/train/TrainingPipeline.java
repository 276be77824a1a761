package dev.sieve.url.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.Split;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.core.util.CodeCommit;
import dev.sieve.url.eval.TrainingReportWriter;
import dev.sieve.url.eval.UrlModelEvaluator;
import dev.sieve.url.eval.UrlModelMetadata;
import dev.sieve.url.features.FeatureBuffer;
import dev.sieve.url.features.Vocabulary;
import dev.sieve.url.model.LexicalUrlModel;
import dev.sieve.url.model.ModelArtifacts;
import dev.sieve.url.model.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The whole offline run behind {@code ./sieve train-url}: train on train, calibrate and threshold
 * on dev, save, reload the saved artifact, check that the serving path reproduces the training-side
 * scores, compare alternatives on dev, evaluate on test, write the training report and the model
 * metadata ({@link TrainingReportWriter}), and release.
 *
 * <p>The release's model card is not written here: {@code ./sieve eval run --tier url --model-dir
 * <version dir>} measures the saved model by the project's evaluation standard, writes {@code
 * model-card.*} from {@code model-metadata.json}, and writes the {@code thresholds.json} that
 * serving then decides at. {@code train-url --rewrite-report <version dir>} regenerates the derived
 * files of an existing version without retraining.
 */
public final class TrainingPipeline {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** What the run wrote. */
  public record Result(Path versionDir, String version, ObjectNode report) {}

  private final UrlModelTrainer.Options options;
  private final boolean alternatives;
  private final boolean release;

  public TrainingPipeline(UrlModelTrainer.Options options, boolean alternatives, boolean release) {
    this.options = options;
    this.alternatives = alternatives;
    this.release = release;
  }

  public Result run(DatasetVersion dataset, Path modelRoot, String codeCommit) {
    long t0 = System.currentTimeMillis();
    DomainExamples examples = DomainExamples.load(dataset, Taxonomy.v1().ids());
    Progress.log(
        "loaded %,d host records of dataset %s in %d ms",
        examples.size(), dataset.id(), System.currentTimeMillis() - t0);
    VocabularyBuilder vocabularyBuilder = new VocabularyBuilder().addTrainHosts(examples);
    if (options.vocabularyFromTexts()) {
      vocabularyBuilder.addTrainTexts(dataset);
    }
    Vocabulary vocabulary =
        vocabularyBuilder.build(options.vocabularyMinCount(), options.vocabularyMaxWords());
    Progress.log("segmentation vocabulary: %,d words from the train split", vocabulary.size());

    UrlModelTrainer.Trained trained =
        new UrlModelTrainer(options).train(examples, vocabulary, codeCommit);
    ModelManifest written = UrlModelTrainer.save(trained, modelRoot);
    Path versionDir = modelRoot.resolve(written.version());
    long l0 = System.nanoTime();
    // The artifacts as serving loads them; thresholds.json (the evaluation's, written later) plays
    // no part here.
    LexicalUrlModel served = ModelArtifacts.load(versionDir);
    long loadMillis = (System.nanoTime() - l0) / 1_000_000;
    Progress.log(
        "saved %s (%,d bytes) and reloaded it in %d ms",
        versionDir, artifactBytes(versionDir), loadMillis);

    ObjectNode parity = servingParity(trained, served);
    List<ObjectNode> alternativeRows = new ArrayList<>();
    alternativeRows.add(
        devSummary("released: " + describe(options), trained, "the released model"));
    if (alternatives) {
      alternativeRows.add(
          alternative(
              "no word segmentation (letter runs kept whole)",
              options.withFeatures(options.features().withSegmentation(false)),
              trained,
              vocabulary,
              codeCommit));
      alternativeRows.add(
          alternative(
              "no char n-grams (site or subdomain)",
              options.withFeatures(
                  options.features().withCharNgrams(false).withSubdomainNgrams(false)),
              trained,
              vocabulary,
              codeCommit));
      alternativeRows.add(
          alternative(
              "no subdomain n-grams",
              options.withFeatures(options.features().withSubdomainNgrams(false)),
              trained,
              vocabulary,
              codeCommit));
      alternativeRows.add(
          alternative(
              "with host word pairs",
              options.withFeatures(options.features().withTokenBigrams(true)),
              trained,
              vocabulary,
              codeCommit));
      alternativeRows.add(
          alternative(
              "other lists' hosts excluded (weight 0)",
              options.withOutOfScopeWeight(0),
              trained,
              vocabulary,
              codeCommit));
      alternativeRows.add(
          alternative(
              "other lists' hosts as weak negatives, weight 0.1",
              options.withOutOfScopeWeight(0.1),
              trained,
              vocabulary,
              codeCommit));
    }

    Progress.log("evaluating on test");
    ObjectNode test =
        new UrlModelEvaluator(trained.examples(), trained.matrix(), served, trained.taxonomyBit())
            .evaluate();
    ObjectNode report =
        report(
            trained,
            served,
            written,
            versionDir,
            loadMillis,
            test,
            alternativeRows,
            parity,
            dataset);
    TrainingReportWriter.write(report, versionDir);
    if (release) {
      try {
        Files.writeString(
            modelRoot.resolve(ModelArtifacts.RELEASED),
            written.version() + "\n",
            StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Progress.log("released %s", written.version());
    }
    Progress.log("done in %d s", (System.currentTimeMillis() - t0) / 1000);
    return new Result(versionDir, written.version(), report);
  }

  /**
   * Scores dev and test hosts through the serving path (URL string, normalizer, featurizer, loaded
   * artifact) and compares with the training-side scores (cached feature rows, in-memory weights).
   */
  private ObjectNode servingParity(UrlModelTrainer.Trained trained, LexicalUrlModel served) {
    DomainExamples examples = trained.examples();
    FeatureMatrix matrix = trained.matrix();
    int c = served.categories().size();
    double[] a = new double[c];
    double maxDiff = 0;
    int checked = 0;
    int featureMismatches = 0;
    for (int i = 0;
        i < examples.size() && checked < 2000;
        i += Math.max(1, examples.size() / 2000)) {
      NormalizedUrl url;
      try {
        url = UrlNormalizer.instance().normalize("http://" + examples.host(i) + "/");
      } catch (UrlRejectedException e) {
        continue;
      }
      FeatureBuffer buffer = served.featurizer().featurize(url);
      if (!Arrays.equals(buffer.bucketsCopy(), matrix.row(i))) {
        featureMismatches++;
      }
      LexicalUrlModel.LexicalPrediction p = served.predict(buffer);
      trained.model().rawLogits(matrix.buckets(), matrix.rowStart(i), matrix.rowEnd(i), a);
      for (int j = 0; j < c; j++) {
        maxDiff = Math.max(maxDiff, Math.abs(p.logit(j) - a[j]));
      }
      checked++;
    }
    if (featureMismatches > 0 || maxDiff > 1e-9) {
      throw new IllegalStateException(
          "serving path disagrees with training path: "
              + featureMismatches
              + " feature rows differ, max logit difference "
              + maxDiff);
    }
    ObjectNode node = JSON.objectNode();
    node.put("hosts_checked", checked);
    node.put("feature_rows_identical", true);
    node.put("max_abs_logit_difference", maxDiff);
    node.put(
        "method",
        "hosts scored from the URL string through UrlNormalizer + UrlFeaturizer + the artifact loaded from disk, "
            + "compared with the training-side cached features and in-memory weights");
    Progress.log(
        "serving parity: %d hosts, identical features, max logit difference %s", checked, maxDiff);
    return node;
  }

  private ObjectNode alternative(
      String name,
      UrlModelTrainer.Options variant,
      UrlModelTrainer.Trained base,
      Vocabulary vocabulary,
      String codeCommit) {
    Progress.log("alternative: %s", name);
    UrlModelTrainer trainer = new UrlModelTrainer(variant);
    UrlModelTrainer.Trained t =
        variant.features().equals(options.features())
            ? trainer.trainOn(
                base.examples(),
                base.matrix(),
                base.model().featurizer(),
                codeCommit,
                new LinkedHashMap<>())
            : trainer.train(base.examples(), vocabulary, codeCommit);
    return devSummary(name, t, "dev only; same data, seed and training procedure");
  }

  private static ObjectNode devSummary(String name, UrlModelTrainer.Trained t, String notes) {
    ObjectNode row = JSON.objectNode();
    row.put("variant", name);
    double ap = 0;
    double f1 = 0;
    double strict = 0;
    double others = 0;
    int n = 0;
    ObjectNode per = row.putObject("per_category");
    for (UrlModelTrainer.DevCategory d : t.dev()) {
      if (d.devPositives() < 30) {
        continue;
      }
      ap += d.devAveragePrecision();
      f1 += Double.isNaN(d.threshold().f1()) ? 0 : d.threshold().f1();
      strict += d.devStrictAveragePrecision();
      others += Double.isNaN(d.devOtherListsFlagRate()) ? 0 : d.devOtherListsFlagRate();
      n++;
      ObjectNode c = per.putObject(d.category());
      num(c, "dev_ap", d.devAveragePrecision());
      num(c, "dev_f1", d.threshold().f1());
      num(c, "dev_recall", d.threshold().recall());
      num(c, "dev_strict_ap", d.devStrictAveragePrecision());
      num(c, "dev_other_lists_flag_rate", d.devOtherListsFlagRate());
    }
    num(row, "dev_macro_ap", n == 0 ? Double.NaN : ap / n);
    num(row, "dev_macro_f1", n == 0 ? Double.NaN : f1 / n);
    num(row, "dev_macro_strict_ap", n == 0 ? Double.NaN : strict / n);
    num(row, "dev_mean_other_lists_flag_rate", n == 0 ? Double.NaN : others / n);
    row.put("notes", notes + "; macro over categories with >= 30 dev positives");
    return row;
  }

  private ObjectNode report(
      UrlModelTrainer.Trained trained,
      LexicalUrlModel served,
      ModelManifest written,
      Path versionDir,
      long loadMillis,
      ObjectNode test,
      List<ObjectNode> alternativeRows,
      ObjectNode parity,
      DatasetVersion dataset) {
    ObjectNode report = JSON.objectNode();
    report.put("card_format", "sieve-model-card-1");
    report.put(
        "generated_by", "sieve-url-service train-url (dev.sieve.url.train.TrainingPipeline)");
    report.put("generated_at", Instant.now().toString());
    ObjectNode model = report.putObject("model");
    model.put("name", written.name());
    model.put("version", written.version());
    model.put("type", UrlModelMetadata.TYPE);
    model.put("code_commit", written.codeCommit());
    model.put("config_hash", served.configHash());
    ObjectNode artifacts = model.putObject("artifacts");
    written.artifacts().forEach(artifacts::put);
    artifacts.put(ModelArtifacts.MANIFEST, served.configHash());
    model.put("size_bytes", artifactBytes(versionDir));
    model.put("load_millis", loadMillis);
    model.set("hyperparameters", ModelArtifacts.json().valueToTree(written.training()));
    model.set("features", ModelArtifacts.json().valueToTree(written.features()));
    model.put("license", UrlModelMetadata.LICENSE);
    model.put("owner", UrlModelMetadata.OWNER);
    report.put("intended_use", UrlModelMetadata.intendedUseParagraph());
    report.put("out_of_scope_uses", UrlModelMetadata.outOfScopeSentence());
    ArrayNode protocol = report.putArray("protocol");
    protocol.add(
        "Splits are by hash of the registered domain (dataset "
            + dataset.id()
            + "): train 70%, dev 15%, test 15%; "
            + "every test host belongs to a registered domain never seen in training.");
    protocol.add(
        "Evaluation set of category c: test hosts labelled c (positives) and background hosts (negatives: ordinary "
            + "popular sites with list members removed, label_scope *). Hosts of other lists are unknown for c and left out; "
            + "their flag rates are reported as cross-list rates, and 'strict precision' counts them as negatives.");
    protocol.add(
        "Precision therefore depends on the ratio of list positives to background hosts in test; the background "
            + "flag rate (over-blocking of ordinary popular sites) is the number that transfers to real traffic. Two stricter "
            + "views sit next to it: 'strict precision' counts every other list's host as a negative, and the 'ordinary-list "
            + "flag rate' is the share of hosts listed only under allowed-by-default categories (shopping, news, sports, games, "
            + "streaming, social media) that the category flags.");
    protocol.add(
        "Thresholds: per category, the best dev F1 among thresholds flagging at most "
            + options.maxBackgroundFlagRate()
            + " of dev background hosts for categories the K-12 default policy blocks or "
            + "alerts on (adult, violence, drugs, gambling, hate, dating, chat, proxy_circumvention, security_threat, piracy), "
            + "and at most "
            + options.maxBackgroundFlagRateAllowed()
            + " for categories it only observes (social_media, games, "
            + "streaming, shopping, news, sports). Calibration: Platt scaling on dev. Test is used only here.");
    protocol.add(
        "As deployed = known-domain table from train+dev splits, then the model. Baselines: exact list lookup "
            + "(train-split table) and the UT1 adult URL expressions.");
    protocol.add("95% CIs: percentile bootstrap over the evaluation set (200 resamples).");
    protocol.add(
        "At most "
            + UrlModelTrainer.EVALUATION_GROUP_CAP
            + " hosts of any one registered domain enter dev "
            + "calibration/thresholds and test evaluation (first in dataset order), so one service's thousands of CDN "
            + "subdomains cannot dominate a category (e.g. the Block List Project's youtube list in test).");

    ObjectNode data = report.putObject("data");
    data.put("dataset_version", trained.examples().datasetVersion());
    data.put("hosts", trained.examples().size());
    data.put(
        "weighting",
        "positives weighted min(20, max(1, negatives/positives)); background negatives weight 1; "
            + (options.outOfScopeWeight() == 0
                ? "other lists' hosts (out of scope) excluded"
                : "other lists' hosts weight " + options.outOfScopeWeight() + " (out of scope)")
            + "; every host x min(1, 20 / hosts of its registered domain)");
    List<String> without = new ArrayList<>(Taxonomy.v1().ids());
    without.removeAll(served.categories());
    data.put("categories_without_model", String.join(", ", without));
    ObjectNode splits = data.putObject("split_counts");
    for (Split s : Split.values()) {
      int hosts = 0;
      int background = 0;
      for (int i = 0; i < trained.examples().size(); i++) {
        if (trained.examples().split(i) == s) {
          hosts++;
          if (trained.examples().isBackground(i)) background++;
        }
      }
      ObjectNode n = splits.putObject(s.id());
      n.put("hosts", hosts);
      n.put("background", background);
    }

    ArrayNode dev = report.putArray("dev");
    for (UrlModelTrainer.DevCategory d : trained.dev()) {
      ObjectNode n = dev.addObject();
      n.put("category", d.category());
      n.put("train_positives", d.trainPositives());
      n.put("dev_positives", d.devPositives());
      n.put("dev_background", d.devBackground());
      num(n, "positive_weight", d.positiveWeight());
      n.put("non_zero_weights", d.nonZeroWeights());
      num(n, "dev_ap", d.devAveragePrecision());
      num(n, "dev_ap_float", d.devAveragePrecisionFloat());
      num(n, "platt_a", d.plattA());
      num(n, "platt_b", d.plattB());
      num(n, "threshold", d.threshold().threshold());
      n.put("threshold_rule", d.threshold().rule());
      num(n, "precision", d.threshold().precision());
      num(n, "recall", d.threshold().recall());
      num(n, "f1", d.threshold().f1());
      num(n, "background_flag_rate", d.threshold().backgroundFlagRate());
      num(n, "dev_strict_ap", d.devStrictAveragePrecision());
      num(n, "other_lists_flag_rate", d.devOtherListsFlagRate());
    }
    report.put(
        "alternatives_note",
        "Alternatives of the same linear family (an ablation), trained with the same seed and data "
            + "and compared on dev only; no other model family was trained for this report.");
    ArrayNode alt = report.putArray("alternatives");
    alternativeRows.forEach(alt::add);
    report.set("test", test);
    report.set("serving_parity", parity);
    ArrayNode shortfalls = report.putArray("shortfalls");
    test.path("goals")
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().path("met").asBoolean()) {
                shortfalls.add(
                    "Goal not met: "
                        + e.getValue().path("goal").asText()
                        + " (measured: "
                        + e.getValue()
                        + ")");
              }
            });
    ArrayNode caveats = report.putArray("caveats");
    caveats.add(
        "Trained on host names only: path and query-key features exist in the featurizer but have no trained weight "
            + "(the dataset is host-level), so a URL's path does not change its score yet.");
    caveats.add(
        "Labels come from positive-only block lists with known noise (see the dataset's data card); background "
            + "hosts are weak negatives (a popular site can still belong to a category).");
    caveats.add(
        "Calibrated probabilities reflect the dev mix of list positives and background hosts, not real traffic priors.");
    caveats.add(
        "Lexical cues also fire on protected sites (sex education, LGBTQ+ resources): see the protected slices; "
            + "the router's policy and the content tier must back the url tier on such hosts.");
    caveats.add(
        "Categories without host labels (e.g. self_harm, weapons) have no model; the tier reports no opinion.");
    return report;
  }

  private static void num(ObjectNode node, String field, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      node.putNull(field);
    } else {
      node.put(field, round(value));
    }
  }

  private static String describe(UrlModelTrainer.Options o) {
    var f = o.features();
    return "segmentation "
        + (f.segmentation() ? "on" : "off")
        + ", char n-grams "
        + f.ngramMin()
        + "-"
        + f.ngramMax()
        + " (site"
        + (f.subdomainNgrams() ? " + subdomains" : "")
        + ")"
        + (f.tokenBigrams() ? ", word pairs" : "")
        + ", other lists' hosts "
        + (o.outOfScopeWeight() == 0 ? "excluded" : "weight " + o.outOfScopeWeight())
        + ", FTRL l1 "
        + o.ftrl().l1()
        + " l2 "
        + o.ftrl().l2()
        + ", "
        + o.ftrl().epochs()
        + " epochs";
  }

  static double round(double v) {
    return Double.isNaN(v) ? Double.NaN : Math.round(v * 10000) / 10000.0;
  }

  /** Bytes on disk of the files that are the model ({@link ModelArtifacts#FILES}). */
  static long artifactBytes(Path dir) {
    return ModelArtifacts.FILES.stream().mapToLong(f -> dir.resolve(f).toFile().length()).sum();
  }

  /** The commit of {@code dir}, "+dirty" when url-service's sources have uncommitted changes. */
  public static String codeCommit(Path dir) {
    return CodeCommit.of(dir, "url-service/src", "url-train/src");
  }
}
