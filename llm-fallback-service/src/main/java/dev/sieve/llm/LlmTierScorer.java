package dev.sieve.llm;

import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.category.CategoryDefinition;
import dev.sieve.llm.input.InputRenderer;
import dev.sieve.llm.input.ScoringInput;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierDescription;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The "llm" tier: zero-shot scores for the core harmful categories and the configured emerging
 * categories, from whichever {@link ScoringBackend} is configured.
 *
 * <p>Gating is the router's job, so this scorer is correct for any subset: an empty {@code
 * categories} list means every category the tier covers; a named category the tier does not cover
 * is left out of the response ("no opinion", which the router treats differently from a low score);
 * {@code forced} changes nothing because the tier never gates on its own. Every score carries
 * {@code zero_shot = true}: no trained model stands behind any of them (emerging categories are
 * recognised by the router as ids outside Taxonomy v1). The catalog is read once per request, so a
 * hot reload never mixes two versions in one response.
 */
public final class LlmTierScorer implements TierScorer {

  public static final String TIER = "llm";

  private final Supplier<CategoryCatalog> catalog;
  private final ScoringBackend backend;
  private final InputRenderer renderer;
  private final Duration defaultBudget;

  /**
   * @param defaultBudget time allowed for one request when the caller set no deadline
   */
  public LlmTierScorer(
      Supplier<CategoryCatalog> catalog,
      ScoringBackend backend,
      InputRenderer renderer,
      Duration defaultBudget) {
    this.catalog = Objects.requireNonNull(catalog);
    this.backend = Objects.requireNonNull(backend);
    this.renderer = Objects.requireNonNull(renderer);
    this.defaultBudget = Objects.requireNonNull(defaultBudget);
  }

  @Override
  public String tier() {
    return TIER;
  }

  @Override
  public TierDescription describe() {
    CategoryCatalog current = catalog.get();
    return TierDescription.newBuilder()
        .setTier(TIER)
        .setModel(backend.modelInfo(current))
        .addAllCategories(current.ids())
        .build();
  }

  @Override
  public ScoreResponse score(ScoreRequest request) throws ScoringException {
    CategoryCatalog current = catalog.get();
    ScoringInput input = renderer.render(request);
    List<CategoryDefinition> selected = select(current, request.getCategoriesList());
    ScoreResponse.Builder response =
        ScoreResponse.newBuilder().setTier(TIER).setNormalizedInput(input.normalizedInput());
    if (selected.isEmpty()) {
      return response.setModel(backend.modelInfo(current)).build();
    }
    BackendResult result = backend.score(input, current, selected, timeBudget());
    response.setModel(result.model());
    for (CategoryScore score : result.scores()) {
      response.addScores(score.toBuilder().setZeroShot(true));
    }
    return response.build();
  }

  /** Requested categories this tier covers, in catalog order; empty request = all. */
  static List<CategoryDefinition> select(CategoryCatalog catalog, List<String> requested) {
    if (requested.isEmpty()) {
      return catalog.categories();
    }
    Set<String> wanted = new LinkedHashSet<>(requested);
    List<CategoryDefinition> out = new ArrayList<>();
    for (CategoryDefinition definition : catalog.categories()) {
      if (wanted.contains(definition.id())) {
        out.add(definition);
      }
    }
    return out;
  }

  private Duration timeBudget() {
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) {
      return defaultBudget;
    }
    long left = deadline.timeRemaining(TimeUnit.MILLISECONDS);
    return Duration.ofMillis(Math.max(0, Math.min(left, defaultBudget.toMillis())));
  }
}
