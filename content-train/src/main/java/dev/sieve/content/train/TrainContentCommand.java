package dev.sieve.content.train;

import dev.sieve.content.ContentTier;
import dev.sieve.content.encode.EncoderVariant;
import dev.sieve.content.encode.OnnxSentenceEncoder;
import dev.sieve.core.cli.SieveCommand;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.util.CodeCommit;
import dev.sieve.core.util.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sieve train-content}: embeds the dataset's texts with the frozen encoder (cached),
 * trains the DJL head, calibrates and sets thresholds on dev, evaluates on test against the
 * baselines, writes {@code models/content-minilm-mlp/<version>/} (weights, config.json,
 * model-card.json/.md) and releases it. Progress goes to the log; the version directory is printed
 * on stdout.
 */
@Command(
    name = "train-content",
    mixinStandardHelpOptions = true,
    description = {
      "Train the content tier's head (frozen MiniLM encoder + DJL/PyTorch MLP) on the text dataset,",
      "calibrate and choose thresholds on dev, evaluate on test with baselines, write the model card."
    })
public final class TrainContentCommand implements SieveCommand {

  @Option(
      names = "--dataset",
      description =
          "Dataset version directory, or a datasets directory holding CURRENT "
              + "(default: $SIEVE_HOME/data/datasets).")
  Path dataset;

  @Option(
      names = "--out",
      description = "Model root (default: $SIEVE_HOME/models/content-minilm-mlp).")
  Path out;

  @Option(
      names = "--cache",
      description =
          "Embedding cache directory (default: $SIEVE_HOME/content-train/target/embedding-cache).")
  Path cache;

  @Option(
      names = "--phraselists",
      defaultValue = "/etc/e2guardian/lists/phraselists",
      description =
          "e2guardian phraselists directory for the phrase baseline (default: ${DEFAULT-VALUE}; skipped when absent).")
  Path phraseLists;

  @Option(
      names = "--encoder",
      defaultValue = "quantized",
      description =
          "Encoder variant: quantized (MiniLM-L6 int8, CPU), fp32 (MiniLM-L6, GPU deployments) or bge-small (bge-small-en-v1.5 int8, 512 tokens).")
  String encoder;

  @Option(
      names = "--hidden",
      defaultValue = "256",
      description = "Hidden units (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(
      names = "--epochs",
      defaultValue = "60",
      description = "Max epochs (model selection on dev macro AUPRC).")
  int epochs;

  @Option(
      names = "--lr",
      description = "Adam learning rate (default: from HeadTrainer.Params.defaults()).")
  Float learningRate;

  @Option(
      names = "--dropout",
      description = "Dropout rate (default: from HeadTrainer.Params.defaults()).")
  Float dropout;

  @Option(
      names = "--weight-decay",
      description = "Weight decay (default: from HeadTrainer.Params.defaults()).")
  Float weightDecay;

  @Option(
      names = "--batch-size",
      description = "Batch size (default: from HeadTrainer.Params.defaults()).")
  Integer batchSize;

  @Option(names = "--patience", description = "Epochs without dev improvement before stopping.")
  Integer patience;

  @Option(
      names = "--no-baselines",
      description = "Skip the baselines (faster hyper-parameter search; not for a release).")
  boolean noBaselines;

  @Option(
      names = "--seed",
      defaultValue = "20251125",
      description = "Seed (default: ${DEFAULT-VALUE}).")
  int seed;

  @Option(
      names = "--max-train-negatives-per-source",
      defaultValue = "0",
      description = "Subsample each source's train negatives to at most N (0 = keep all).")
  int maxTrainNegatives;

  @Option(
      names = "--loso",
      description = "Also run leave-one-source-out (one head per source; writes loso.json).")
  boolean loso;

  @Option(
      names = "--held-out-scores",
      paramLabel = "SOURCE=FILE",
      description =
          "Only train without SOURCE and write its records' out-of-source scores to FILE (JSONL for"
              + " ./sieve data review-queue), e.g. safety/i2p=/tmp/i2p-oof.jsonl.")
  String heldOutScores;

  @Option(
      names = "--loso-only",
      paramLabel = "VERSION_DIR",
      description =
          "Train nothing: add leave-one-source-out (loso.json) to an existing version trained on the same dataset.")
  Path losoOnly;

  @Option(names = "--no-release", description = "Do not point RELEASED at the new version.")
  boolean noRelease;

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(Settings.get("SIEVE_HOME", ".")).toAbsolutePath().normalize();
    Path datasetPath = dataset != null ? dataset : home.resolve("data").resolve("datasets");
    DatasetVersion version =
        Files.isRegularFile(datasetPath.resolve(DatasetVersion.MANIFEST))
            ? DatasetVersion.open(datasetPath)
            : DatasetVersion.current(datasetPath);
    Path modelRoot = out != null ? out : home.resolve("models").resolve(ContentTier.MODEL_NAME);
    Path cacheDir =
        cache != null
            ? cache
            : home.resolve("content-train").resolve("target").resolve("embedding-cache");
    HeadTrainer.Params defaults = HeadTrainer.Params.defaults();
    HeadTrainer.Params params =
        new HeadTrainer.Params(
            hidden,
            dropout != null ? dropout : defaults.dropout(),
            learningRate != null ? learningRate : defaults.learningRate(),
            weightDecay != null ? weightDecay : defaults.weightDecay(),
            batchSize != null ? batchSize : defaults.batchSize(),
            epochs,
            patience != null ? patience : defaults.patience(),
            seed);
    try (OnnxSentenceEncoder encoderInstance =
        OnnxSentenceEncoder.load(
            OnnxSentenceEncoder.Options.cpuDefaults(EncoderVariant.parse(encoder)))) {
      ContentTrainer.Options options =
          new ContentTrainer.Options(
              version,
              modelRoot,
              cacheDir,
              phraseLists,
              params,
              maxTrainNegatives,
              !noRelease,
              codeCommit(home),
              ContentTrainer.Minimums.defaults(),
              !noBaselines,
              loso,
              heldOutScores == null ? null : heldOutScores.substring(0, heldOutScores.indexOf('=')),
              heldOutScores == null
                  ? null
                  : Path.of(heldOutScores.substring(heldOutScores.indexOf('=') + 1)),
              losoOnly);
      Path dir = new ContentTrainer(options, encoderInstance).run();
      System.out.println(dir);
    }
    return 0;
  }

  /** The commit of the working tree, "+dirty" when content-service has uncommitted changes. */
  static String codeCommit(Path home) {
    return CodeCommit.of(home, "content-service", "content-train");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainContentCommand()).execute(args));
  }
}
