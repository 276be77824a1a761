package dev.sieve.eval.cli;

import dev.sieve.core.cli.FleetTargets;
import dev.sieve.eval.EvalOptions;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.pipeline.EvaluationPipeline;
import dev.sieve.eval.pipeline.RunConfig;
import dev.sieve.eval.policy.EvaluationPolicy;
import dev.sieve.eval.policy.EvaluationSettings;
import dev.sieve.eval.report.CategoryResult;
import dev.sieve.eval.report.Estimate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./sieve eval run}: the full evaluation of one model version, ending in its card. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Score the dev and test splits through a tier, fit calibration and choose thresholds on dev,",
      "evaluate test with bootstrap intervals, run the baselines, and write calibration.json,",
      "thresholds.json, evaluation.json and model-card.json/.md/.html into the model directory.",
      "Predictions come from the tier in-process (ScorerProvider), --target (a tier's Scorer),",
      "--router (the Classifier with a tiers filter) or --predictions (a JSONL file)."
    })
public final class EvalRunCommand implements Callable<Integer> {

  /** Marks a --target/--router given without a value: the local fleet's recorded port. */
  static final String LOCAL = "<local>";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--tier", required = true, description = "Tier: url, content or llm.")
  String tier;

  @Option(names = "--model-dir", description = "Model version directory (models/<name>/<version>).")
  Path modelDir;

  @Option(names = "--out", description = "Output directory when not the model directory.")
  Path out;

  @Option(
      names = "--metadata",
      description = "model-metadata.json (default: <model-dir>/model-metadata.json).")
  Path metadata;

  @Option(
      names = "--home",
      description = "Repository root holding data/ and models/ (default: SIEVE_HOME or .).")
  Path home;

  @Option(
      names = "--dataset",
      description = "Dataset version directory (default: data/datasets/CURRENT).")
  Path dataset;

  @Option(
      names = "--split",
      defaultValue = "test",
      description = "Split the card reports on (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(
      names = "--inputs",
      description = "Dataset files: domains,background,texts (default: the tier's).")
  String inputs;

  @Option(
      names = "--policy",
      description = "Policy file (default: <home>/release-gate.yaml, else built-in).")
  Path policy;

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      arity = "0..1",
      fallbackValue = LOCAL,
      description =
          "A running tier's gRPC Scorer; without a value, the --tier's port in .sieve/run (./sieve up).")
  String target;

  @Option(
      names = "--router",
      paramLabel = "HOST:PORT",
      arity = "0..1",
      fallbackValue = LOCAL,
      description =
          "The router's Classifier with a tiers filter (= --tier); without a value, the port in"
              + " .sieve/run/router.port, else 127.0.0.1:50051.")
  String router;

  @Option(
      names = "--predictions",
      description = "JSONL predictions {\"id\",\"scores\"} instead of scoring.")
  Path predictions;

  @Option(
      names = "--categories",
      split = ",",
      description = "Categories to evaluate (default: what the tier describes).")
  List<String> categories;

  @Option(
      names = "--no-calibration",
      description = "Do not fit calibration; thresholds apply to raw scores.")
  boolean noCalibration;

  @Option(
      names = "--phrase-lists",
      defaultValue = "/etc/e2guardian/lists/phraselists",
      description =
          "e2guardian phraselists directory for the phrase baseline; 'none' to skip (default: ${DEFAULT-VALUE}).")
  String phraseLists;

  @Option(names = "--no-exact-list", description = "Skip the exact-list baseline.")
  boolean noExactList;

  @Option(names = "--no-previous", description = "Skip the previous-release baseline.")
  boolean noPrevious;

  @Option(
      names = "--no-tier-baselines",
      description = "Skip the baselines the tier itself offers (e.g. content's n-gram model).")
  boolean noTierBaselines;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "At most N examples per split (deterministic sample; 0 = all).")
  int limit;

  @Option(
      names = "--concurrency",
      defaultValue = "8",
      description = "Concurrent scoring calls (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--deadline",
      defaultValue = "10s",
      converter = DeadlineConverter.class,
      description = "Per-call deadline for gRPC scoring (default: ${DEFAULT-VALUE}).")
  Duration deadline;

  @Option(names = "--bootstrap", description = "Bootstrap resamples (overrides the policy).")
  Integer bootstrap;

  @Option(names = "--seed", description = "Bootstrap seed (overrides the policy).")
  Long seed;

  @Option(names = "--save-predictions", description = "Also write predictions-<split>.jsonl.gz.")
  boolean savePredictions;

  @Override
  public Integer call() throws Exception {
    return Errors.guard("eval run", this::run);
  }

  private Integer run() {
    Path root = home != null ? home.toAbsolutePath().normalize() : EvaluationPolicy.home();
    EvaluationPolicy p = EvaluationPolicy.resolve(policy, root);
    if (bootstrap != null || seed != null) {
      EvalOptions o = p.options();
      EvaluationSettings s = p.evaluation();
      p =
          new EvaluationPolicy(
              p.version(),
              new EvaluationSettings(
                  o.minPositives(),
                  bootstrap != null ? bootstrap : o.bootstrapResamples(),
                  seed != null ? seed : o.seed(),
                  o.confidence(),
                  o.reliabilityBins(),
                  o.topExamples(),
                  s.blockingCategories()),
              p.thresholds(),
              p.gate(),
              p.protectedSlices(),
              p.tiers());
    }
    Path phrases =
        phraseLists == null || phraseLists.equalsIgnoreCase("none") ? null : Path.of(phraseLists);
    RunConfig config =
        new RunConfig(
            root,
            dataset,
            split,
            inputs == null ? null : DatasetExamples.Inputs.parse(inputs),
            p,
            tier,
            modelDir,
            out,
            metadata,
            localTier(target),
            router == null ? null : FleetTargets.router(LOCAL.equals(router) ? null : router),
            predictions,
            categories,
            !noCalibration,
            phrases,
            !noExactList,
            !noPrevious,
            !noTierBaselines,
            limit,
            concurrency,
            deadline.toMillis(),
            savePredictions);
    EvaluationPipeline.Outcome outcome =
        new EvaluationPipeline(config, m -> System.err.println("eval: " + m)).run();
    System.out.printf(
        Locale.ROOT,
        "%-20s %-17s %7s %22s %22s %22s%n",
        "category",
        "status",
        "support",
        "precision",
        "recall",
        "auprc");
    for (CategoryResult c : outcome.result().categories()) {
      System.out.printf(
          Locale.ROOT,
          "%-20s %-17s %7d %22s %22s %22s%n",
          c.category(),
          c.status(),
          c.support(),
          est(c.precision()),
          est(c.recall()),
          est(c.auprc()));
    }
    Estimate block = outcome.result().overBlocking().blockRate();
    System.out.println("ordinary sites blocked: " + est(block));
    return 0;
  }

  private static String est(Estimate e) {
    if (e == null || e.value() == null) {
      return "n/a";
    }
    return e.lower() == null
        ? String.format(Locale.ROOT, "%.3f", e.value())
        : String.format(Locale.ROOT, "%.3f [%.3f,%.3f]", e.value(), e.lower(), e.upper());
  }

  /**
   * --target without a value: the tier's port recorded by ./sieve up (else its documented default).
   */
  private String localTier(String given) {
    if (given == null || !LOCAL.equals(given)) {
      return given;
    }
    return switch (tier) {
      case "url" -> FleetTargets.target(null, "url-service", 50052);
      case "content" -> FleetTargets.target(null, "content-service", 50053);
      case "llm" -> FleetTargets.target(null, "llm-fallback-service", 50054);
      default ->
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              "--target without a value needs --tier url|content|llm (got '" + tier + "')");
    };
  }
}
