package dev.sieve.url.train;

import dev.sieve.core.cli.SieveCommand;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.util.Settings;
import dev.sieve.url.eval.TrainingReportWriter;
import dev.sieve.url.model.LexicalUrlModel;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sieve train-url}: trains, evaluates and releases the url tier's lexical model from a
 * dataset version. Deterministic given {@code --seed} and the dataset. Progress goes to stderr; the
 * released version directory is printed on stdout.
 *
 * <p>{@code --rewrite-report <version dir>} instead regenerates an existing version's derived files
 * ({@code training-report.md}, {@code model-metadata.json}) from its {@code training-report.json}
 * without retraining: the artifacts are verified and left byte-identical.
 */
@Command(
    name = "train-url",
    mixinStandardHelpOptions = true,
    description = {
      "Train the url tier's lexical model on the train split, calibrate and set thresholds on dev,",
      "evaluate on test (training report + model-metadata.json), save under models/url-lexical/<version>/",
      "and release it. The model card comes from ./sieve eval run --tier url --model-dir <version dir>."
    })
public final class TrainUrlCommand implements SieveCommand {

  @Option(
      names = "--dataset",
      description =
          "Dataset version directory, or a datasets directory holding CURRENT "
              + "(default: $SIEVE_HOME/data/datasets, i.e. the CURRENT version).")
  Path dataset;

  @Option(
      names = "--out",
      description = "Model root directory (default: $SIEVE_HOME/models/url-lexical).")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "17",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "Worker threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--epochs", description = "Training epochs (default: 3).")
  Integer epochs;

  @Option(
      names = "--no-alternatives",
      description = "Skip training the alternatives compared on dev.")
  boolean noAlternatives;

  @Option(names = "--no-release", description = "Do not point RELEASED at the new version.")
  boolean noRelease;

  @Option(
      names = "--rewrite-report",
      paramLabel = "<version dir>",
      description =
          "Do not train: regenerate "
              + "training-report.md and model-metadata.json of an existing version from its training-report.json "
              + "(artifacts verified, not changed).")
  Path rewriteReport;

  @Override
  public Integer call() {
    if (rewriteReport != null) {
      TrainingReportWriter.rewrite(rewriteReport);
      System.out.println(rewriteReport);
      return 0;
    }
    Path home = Path.of(Settings.get("SIEVE_HOME", ".")).toAbsolutePath().normalize();
    Path datasetPath = dataset != null ? dataset : home.resolve("data").resolve("datasets");
    DatasetVersion version =
        Files.isRegularFile(datasetPath.resolve(DatasetVersion.MANIFEST))
            ? DatasetVersion.open(datasetPath)
            : DatasetVersion.current(datasetPath);
    Path modelRoot = out != null ? out : home.resolve("models").resolve(LexicalUrlModel.NAME);
    UrlModelTrainer.Options options =
        UrlModelTrainer.Options.defaults().withSeed(seed).withThreads(threads);
    if (epochs != null) {
      FtrlLogisticRegression.Params p = options.ftrl();
      options =
          options.withFtrl(
              new FtrlLogisticRegression.Params(p.alpha(), p.beta(), p.l1(), p.l2(), epochs));
    }
    TrainingPipeline.Result result =
        new TrainingPipeline(options, !noAlternatives, !noRelease)
            .run(version, modelRoot, TrainingPipeline.codeCommit(home));
    System.out.println(result.versionDir());
    return 0;
  }
}
