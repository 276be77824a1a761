package dev.sieve.url;

import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.ServedThresholds;
import dev.sieve.core.scoring.ThresholdAlignment;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.core.util.Sha256;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierDescription;
import dev.sieve.url.model.UrlModel;
import dev.sieve.url.table.KnownDomainTable;
import dev.sieve.url.table.KnownDomainTableLoader.LoadedTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The url tier: the known-domain table first, the lexical model for everything the table does not
 * know.
 *
 * <p>Table entries are authoritative for the categories they carry (score 1.0, {@code definitive},
 * evidence = the matched list entry and its source lists); the model scores every other category it
 * has, with its top features as evidence. A category neither knows is left out of the response,
 * which the router reads as "no opinion" (different from a low score). With no released model the
 * tier serves the table alone.
 *
 * <p>Input contract: the request must carry a URL ({@code "url tier needs a url"} otherwise); a URL
 * the core normalizer rejects (not a URL, over 8 KiB, control characters, data:/javascript:, empty
 * host) is INVALID_ARGUMENT with the normalizer's reason. IP literals are scored (no parent walk;
 * the model sees the ip-literal flag). Category ids the tier does not know are ignored, because the
 * router may ask every tier for configured emerging categories that only the LLM tier can score.
 *
 * <p>Score scale: serving aligns each model probability to the fleet's common scale (core {@link
 * ThresholdAlignment}) at the threshold the evaluation standard chose on dev ({@code
 * thresholds.json} next to the model, see {@link UrlModel#servedThresholds()}), so the router
 * decides exactly where the model card measured; a category the file does not cover, or a model
 * never evaluated, falls back to the trainer's threshold (with a warning). {@link
 * #modelProbabilities} is the evaluation's view of the same code: the model alone, probabilities
 * before alignment.
 */
public final class UrlTierScorer implements TierScorer {

  private static final Logger log = LoggerFactory.getLogger(UrlTierScorer.class);

  /** Tier name on the wire. */
  public static final String TIER = "url";

  /** Evidence is attached to model scores at or above this probability (top features). */
  static final double EVIDENCE_MIN_PROBABILITY = 0.05;

  private static final int TOP_FEATURES = 3;

  private final KnownDomainTable table;
  private final UrlModel model;
  private final ModelInfo modelInfo;
  private final List<String> categories;
  private final Map<String, Integer> modelIndex;
  private final double[] thresholds;
  private final boolean aligned;
  private final UrlNormalizer normalizer = UrlNormalizer.instance();

  /**
   * The serving tier: table first, then the model, scores aligned to the common scale.
   *
   * @param loaded the known-domain table and its lineage
   * @param model the lexical model, or null to serve the table alone
   */
  public UrlTierScorer(LoadedTable loaded, UrlModel model) {
    this(loaded.table(), model, modelInfo(loaded, model), true);
    if (model != null && model.servedThresholds().isEmpty()) {
      log.warn(
          "url model {}/{} has no {}: aligning the trainer's thresholds, which no standard model card has"
              + " measured (run ./sieve eval run --tier url --model-dir models/{}/{})",
          model.name(),
          model.version(),
          ServedThresholds.FILE,
          model.name(),
          model.version());
    } else if (model != null) {
      ServedThresholds served = model.servedThresholds().get();
      log.info(
          "url model {}/{} decides at the thresholds of {} (chosen on dev of {})",
          model.name(),
          model.version(),
          served.file(),
          served.datasetVersion());
    }
  }

  /**
   * The lexical model alone, returning its calibrated probabilities before threshold alignment:
   * what the offline evaluation scores ({@code UrlScorerProvider}). No known-domain table, because
   * the evaluation measures the model on held-out domains (a list match would be a definitive 1.0
   * learnt from the labels being evaluated), and no alignment, because the evaluation chooses the
   * thresholds that serving then aligns. Lineage names the model itself.
   */
  public static UrlTierScorer modelProbabilities(UrlModel model) {
    Objects.requireNonNull(model, "model");
    ModelInfo info =
        ModelInfo.newBuilder()
            .setName(model.name())
            .setVersion(model.version())
            .setConfigHash(model.configHash())
            .setDatasetVersion(model.datasetVersion())
            .build();
    return new UrlTierScorer(KnownDomainTable.builder().build(), model, info, false);
  }

  private UrlTierScorer(
      KnownDomainTable table, UrlModel model, ModelInfo modelInfo, boolean aligned) {
    this.table = table;
    this.model = model;
    this.aligned = aligned;
    this.modelIndex = new LinkedHashMap<>();
    int modelCategories = model == null ? 0 : model.categories().size();
    this.thresholds = new double[modelCategories];
    for (int i = 0; i < modelCategories; i++) {
      String category = model.categories().get(i);
      modelIndex.put(category, i);
      double trainer = model.threshold(i);
      thresholds[i] =
          model.servedThresholds().map(t -> t.thresholdOr(category, trainer)).orElse(trainer);
    }
    Set<String> known = new HashSet<>(table.entriesPerCategory().keySet());
    known.addAll(modelIndex.keySet());
    List<String> ordered = new ArrayList<>();
    for (String id : Taxonomy.v1().ids()) {
      if (known.contains(id)) {
        ordered.add(id);
      }
    }
    this.categories = List.copyOf(ordered);
    this.modelInfo = modelInfo;
  }

  private static ModelInfo modelInfo(LoadedTable loaded, UrlModel model) {
    if (model == null) {
      return ModelInfo.newBuilder()
          .setName("url-table")
          .setVersion(loaded.datasetVersion())
          .setConfigHash(loaded.sourceSha256())
          .setDatasetVersion(loaded.datasetVersion())
          .build();
    }
    String datasets =
        loaded.datasetVersion().equals(model.datasetVersion())
            ? loaded.datasetVersion()
            : "table=" + loaded.datasetVersion() + ";model=" + model.datasetVersion();
    return ModelInfo.newBuilder()
        .setName("url-table+" + model.name())
        .setVersion(loaded.datasetVersion() + "+" + model.version())
        .setConfigHash(Sha256.of(loaded.sourceSha256() + ":" + model.configHash()))
        .setDatasetVersion(datasets)
        .build();
  }

  @Override
  public String tier() {
    return TIER;
  }

  @Override
  public TierDescription describe() {
    return TierDescription.newBuilder()
        .setTier(TIER)
        .setModel(modelInfo)
        .addAllCategories(categories)
        .build();
  }

  /** Lineage reported with every response. */
  public ModelInfo modelInfo() {
    return modelInfo;
  }

  @Override
  public ScoreResponse score(ScoreRequest request) throws ScoringException {
    String raw = request.getUrl();
    if (raw.isEmpty()) {
      throw ScoringException.invalidArgument("url tier needs a url");
    }
    NormalizedUrl url;
    try {
      url = normalizer.normalize(raw);
    } catch (UrlRejectedException e) {
      throw ScoringException.invalidArgument(
          "url rejected (" + e.reason() + "): " + e.getMessage());
    }
    return score(url, request.getCategoriesList());
  }

  /** Scores an already normalized URL (offline evaluation calls this directly). */
  public ScoreResponse score(NormalizedUrl url, List<String> requested) {
    Set<String> wanted = requested.isEmpty() ? null : new HashSet<>(requested);
    ScoreResponse.Builder response =
        ScoreResponse.newBuilder()
            .setTier(TIER)
            .setModel(modelInfo)
            .setNormalizedInput(url.canonical());

    Map<String, List<Evidence>> listEvidence = new LinkedHashMap<>();
    for (KnownDomainTable.Match match : table.lookup(url)) {
      for (String category : match.labels().labels()) {
        listEvidence
            .computeIfAbsent(category, c -> new ArrayList<>(1))
            .add(
                Evidence.newBuilder()
                    .setKind(Evidence.Kind.KIND_LIST_MATCH)
                    .setCategory(category)
                    .setDetail(match.entry())
                    .setSource(match.labels().sourcesOf(category))
                    .build());
      }
    }
    UrlModel.Prediction prediction = null;
    for (String category : categories) {
      if (wanted != null && !wanted.contains(category)) {
        continue;
      }
      List<Evidence> evidence = listEvidence.get(category);
      if (evidence != null) {
        response.addScores(
            CategoryScore.newBuilder()
                .setCategory(category)
                .setScore(1.0)
                .setDefinitive(true)
                .addAllEvidence(evidence));
        continue;
      }
      Integer index = modelIndex.get(category);
      if (index == null) {
        continue;
      }
      if (prediction == null) {
        prediction = model.predict(url);
      }
      double p = prediction.probability(index);
      // Common score scale: the threshold the model card measured sits at 0.5 (core
      // ThresholdAlignment).
      double value = aligned ? ThresholdAlignment.align(p, thresholds[index]) : p;
      CategoryScore.Builder score =
          CategoryScore.newBuilder().setCategory(category).setScore(value);
      if (p >= EVIDENCE_MIN_PROBABILITY) {
        for (UrlModel.FeatureContribution f : prediction.topFeatures(index, TOP_FEATURES)) {
          score.addEvidence(
              Evidence.newBuilder()
                  .setKind(Evidence.Kind.KIND_FEATURE)
                  .setCategory(category)
                  .setDetail(f.feature())
                  .setWeight(f.weight())
                  .setSource(model.name() + "/" + model.version()));
        }
      }
      response.addScores(score);
    }
    return response.build();
  }
}
