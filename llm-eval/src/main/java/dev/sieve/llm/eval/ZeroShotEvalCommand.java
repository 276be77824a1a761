package dev.sieve.llm.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.cli.SieveCommand;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.util.CodeCommit;
import dev.sieve.core.util.Settings;
import dev.sieve.core.util.Sha256;
import dev.sieve.llm.category.CatalogLoader;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.embedded.Calibration;
import dev.sieve.llm.embedded.EmbeddedModel;
import dev.sieve.llm.embedded.ZeroShotScorer;
import dev.sieve.llm.eval.ZeroShotEvaluation.TaskResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sieve llm-eval}: measures the zero-shot tier on the current dataset version, fits the
 * served calibration and writes {@code models/llm-zero-shot/<version>/}: calibration.json (the
 * model version), training-report.json/.md (this build's dev-side report) and model-metadata.json
 * (for the evaluation standard's card, {@code ./sieve eval run --tier llm --model-dir <version>}).
 * {@code --release} also points {@code RELEASED} at it, which is what the service loads at start.
 * {@code --metadata-only <version>} rewrites only model-metadata.json of an existing version from
 * its training report (for versions built before the metadata existed).
 *
 * <p>The version directory name is a hash of everything the result depends on (catalog version,
 * dataset version, encoder, sampling parameters), so re-running on the same inputs rewrites the
 * same directory with the same numbers.
 */
@Command(
    name = "llm-eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate the llm tier's zero-shot scoring (description-only vs few-shot) on the current dataset,",
      "fit its calibration on dev, write models/llm-zero-shot/<version>/ (calibration, training report,",
      "model metadata; the standard card comes from ./sieve eval run --tier llm)."
    })
public final class ZeroShotEvalCommand implements SieveCommand {

  /** Bumped when the evaluation method changes (part of the version hash). */
  static final String EVAL_METHOD = "zs-eval-v1";

  @Option(
      names = "--home",
      description = "Repository root holding data/ and models/ (default: SIEVE_HOME or .).")
  Path home;

  @Option(
      names = "--dataset",
      description = "Dataset version directory (default: data/datasets/CURRENT).")
  Path dataset;

  @Option(
      names = "--categories",
      description = "Category files directory (default: config/categories).")
  Path categories;

  @Option(
      names = "--seed",
      defaultValue = "20251125",
      description = "Sampling seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--max-positives",
      defaultValue = "400",
      description = "Positives per task and split (default: ${DEFAULT-VALUE}).")
  int maxPositives;

  @Option(
      names = "--max-negatives",
      defaultValue = "2000",
      description = "Negatives per task and split (default: ${DEFAULT-VALUE}).")
  int maxNegatives;

  @Option(
      names = "--few-shot-draws",
      defaultValue = "5",
      description = "Few-shot example draws (default: ${DEFAULT-VALUE}).")
  int fewShotDraws;

  @Option(
      names = "--tasks",
      defaultValue = ".*",
      description = "Regex of task names to run (default: all).")
  String tasks;

  @Option(
      names = "--release",
      description = "Point models/llm-zero-shot/RELEASED at the new version.")
  boolean release;

  @Option(
      names = "--metadata-only",
      paramLabel = "VERSION_DIR",
      description =
          "Evaluate nothing: rewrite VERSION_DIR/model-metadata.json from its training-report.json.")
  Path metadataOnly;

  @Option(
      names = "--date",
      description = "With --metadata-only: build date (ISO-8601) when the report has none.")
  String buildDate;

  @Option(
      names = "--code-commit",
      description = "With --metadata-only: building commit when the report has none.")
  String buildCommit;

  @Override
  public Integer call() throws Exception {
    if (metadataOnly != null) {
      rewriteMetadata(metadataOnly, buildDate, buildCommit);
      System.out.println(metadataOnly.resolve(ZeroShotMetadata.FILE));
      return 0;
    }
    long started = System.nanoTime();
    String builtAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Path root = home != null ? home : Path.of(Settings.get("SIEVE_HOME", "."));
    DatasetVersion data =
        dataset != null
            ? DatasetVersion.open(dataset)
            : DatasetVersion.current(root.resolve("data/datasets"));
    CategoryCatalog catalog =
        CatalogLoader.fromDirectory(
            categories != null ? categories : root.resolve("config/categories"));
    ZeroShotScorer scorer = EmbeddedModel.scorer(EmbeddedModel.DEFAULT_MAX_CHUNKS, null);
    String encoder = scorer.encoder().id();
    String version =
        "zs-"
            + Sha256.of(
                    String.join(
                        "|",
                        EVAL_METHOD,
                        catalog.version(),
                        data.id(),
                        encoder,
                        Long.toString(seed),
                        Integer.toString(maxPositives),
                        Integer.toString(maxNegatives),
                        Integer.toString(fewShotDraws),
                        tasks))
                .substring(0, 12);
    System.err.println(
        "llm-eval " + version + ": dataset " + data.id() + ", catalog " + catalog.version());

    EvalDataLoader loader = new EvalDataLoader(data, seed, maxPositives, maxNegatives);
    Pattern filter = Pattern.compile(tasks);
    List<EvalTask> selected =
        loader.load(catalog).stream().filter(t -> filter.matcher(t.name()).matches()).toList();
    ZeroShotEvaluation evaluation =
        new ZeroShotEvaluation(scorer, catalog, seed, fewShotDraws, System.err::println);
    List<TaskResult> results = new ArrayList<>();
    for (EvalTask task : selected) {
      results.add(evaluation.run(task));
    }
    Calibration calibration =
        ZeroShotEvaluation.calibration(results, catalog, version, data.id(), encoder);
    Path out = root.resolve("models/llm-zero-shot").resolve(version);
    calibration.write(out.resolve(EmbeddedModel.CALIBRATION));
    String command =
        "./sieve llm-eval --seed "
            + seed
            + " --max-positives "
            + maxPositives
            + " --max-negatives "
            + maxNegatives
            + " --few-shot-draws "
            + fewShotDraws
            + (tasks.equals(".*") ? "" : " --tasks '" + tasks + "'")
            + (release ? " --release" : "");
    TrainingReportWriter.write(
        out,
        new TrainingReportWriter.RunInfo(
            version,
            builtAt,
            codeCommit(root),
            data.id(),
            catalog.version(),
            encoder,
            seed,
            maxPositives,
            maxNegatives,
            fewShotDraws,
            command,
            loader.pools()),
        results,
        calibration);
    System.err.printf(
        Locale.ROOT,
        "llm-eval finished in %.0f s on %d CPU cores%n",
        (System.nanoTime() - started) / 1e9,
        Runtime.getRuntime().availableProcessors());
    if (release) {
      Files.writeString(
          root.resolve("models/llm-zero-shot/RELEASED"), version + "\n", StandardCharsets.UTF_8);
    }
    System.out.println(out);
    return 0;
  }

  /**
   * Rewrites {@code dir}/model-metadata.json from {@code dir}/training-report.json; {@code date}
   * and {@code codeCommit} fill in what a report from before they were recorded lacks (the report
   * wins when it has them).
   */
  static void rewriteMetadata(Path dir, String date, String codeCommit) throws IOException {
    ObjectNode report =
        (ObjectNode) new ObjectMapper().readTree(dir.resolve(TrainingReportWriter.JSON).toFile());
    if (report.path("date").asText("").isBlank() && date != null) {
      report.put("date", date);
    }
    if (report.path("code_commit").asText("").isBlank() && codeCommit != null) {
      report.put("code_commit", codeCommit);
    }
    ZeroShotMetadata.write(dir, report);
  }

  /**
   * HEAD of {@code home}, "+dirty" when this module or the category files have uncommitted changes.
   */
  static String codeCommit(Path home) {
    return CodeCommit.of(home, "llm-fallback-service", "llm-eval", "config/categories");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ZeroShotEvalCommand()).execute(args));
  }
}
