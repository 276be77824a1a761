package dev.sieve.llm;

import dev.sieve.core.scoring.ScoringException;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.category.CategoryDefinition;
import dev.sieve.llm.input.ScoringInput;
import dev.sieve.proto.v1.ModelInfo;
import java.time.Duration;
import java.util.List;

/**
 * One way of scoring categories zero-shot. Two implementations sit behind it: the embedded MiniLM
 * similarity backend (default, in-process, no external service) and an OpenAI-compatible chat
 * endpoint (which falls back to the embedded one when it fails). The tier scorer does not know
 * which one answers; the {@link BackendResult#model()} says.
 */
public interface ScoringBackend {

  /** Short backend name for logs and evidence ("embedded", "openai"). */
  String name();

  /** Lineage of what this backend serves with the given catalog. */
  ModelInfo modelInfo(CategoryCatalog catalog);

  /**
   * Scores {@code categories} (a non-empty subset of {@code catalog}) for one input.
   *
   * @param timeBudget time left for this call (the caller's deadline, or the configured default)
   * @throws ScoringException RESOURCE_EXHAUSTED when the backend's concurrency limit is full
   */
  BackendResult score(
      ScoringInput input,
      CategoryCatalog catalog,
      List<CategoryDefinition> categories,
      Duration timeBudget)
      throws ScoringException;

  /**
   * Work to do before a catalog is served (e.g. embedding its prototypes), so the first request
   * after a reload does not pay for it. Default: nothing.
   */
  default void prepare(CategoryCatalog catalog) {}
}
