package dev.sieve.eval.pipeline;

import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.policy.EvaluationPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One evaluation run as the CLI (or a build step) describes it.
 *
 * @param home SIEVE_HOME (data/ and models/ live here)
 * @param dataset dataset version directory; null = data/datasets/CURRENT
 * @param split the split the card reports on (never "dev" or "train")
 * @param inputs dataset files to evaluate on; empty = the tier's default
 * @param policy evaluation policy
 * @param tier tier name ("url", "content", "llm")
 * @param modelDir model version directory (artifacts, metadata; receives the outputs)
 * @param outDir where outputs go when not the model directory
 * @param metadata model-metadata.json path; null = modelDir/model-metadata.json
 * @param target host:port of the tier's gRPC Scorer (null = in-process via ScorerProvider)
 * @param router host:port of the router's Classifier (tiers filter = tier)
 * @param predictions predictions JSONL file(s) instead of scoring
 * @param categories categories to evaluate; empty = what the tier describes, else taxonomy v1
 * @param calibrate fit calibration on dev and serve calibrated scores
 * @param phraseLists e2guardian phraselists directory for the phrase baseline; null = skip
 * @param exactListBaseline run the exact-list baseline (URL inputs)
 * @param previousBaseline compare with the previously released version when one exists
 * @param tierBaselines add the baselines the tier's ScorerProvider offers (trained on train)
 * @param limit at most this many examples per split (deterministic by id hash); 0 = all
 * @param concurrency scoring concurrency
 * @param deadlineMillis per-call deadline for gRPC scoring
 * @param savePredictions also write predictions-dev/-test.jsonl.gz
 */
public record RunConfig(
    Path home,
    Path dataset,
    String split,
    Set<DatasetExamples.Inputs> inputs,
    EvaluationPolicy policy,
    String tier,
    Path modelDir,
    Path outDir,
    Path metadata,
    String target,
    String router,
    Path predictions,
    List<String> categories,
    boolean calibrate,
    Path phraseLists,
    boolean exactListBaseline,
    boolean previousBaseline,
    boolean tierBaselines,
    int limit,
    int concurrency,
    long deadlineMillis,
    boolean savePredictions) {

  public RunConfig {
    split = split == null ? "test" : split;
    if (split.equals("dev") || split.equals("train")) {
      throw new IllegalArgumentException(
          "a card reports on a held-out split, not '"
              + split
              + "': thresholds and calibration are"
              + " chosen on dev, and train is what the model learned from");
    }
    inputs = inputs == null ? Set.of() : Set.copyOf(inputs);
    categories = categories == null ? List.of() : List.copyOf(categories);
    if (modelDir == null && outDir == null) {
      throw new IllegalArgumentException(
          "give --model-dir (or --out for a run without a model directory)");
    }
  }

  /** Where outputs are written. */
  public Path output() {
    return outDir != null ? outDir : modelDir;
  }
}
