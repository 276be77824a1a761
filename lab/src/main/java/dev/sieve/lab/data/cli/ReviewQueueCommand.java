package dev.sieve.lab.data.cli;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.lab.data.review.ReviewQueue;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sieve data review-queue}: suspected label errors from out-of-fold scores, for review.
 */
@Command(
    name = "review-queue",
    description =
        "Rank suspected label errors per category from out-of-fold scores "
            + "(JSONL: {\"id\"|\"host\", \"category\", \"score\"}) and write a review file.")
public final class ReviewQueueCommand implements Callable<Integer> {

  @Option(names = "--scores", required = true, description = "Out-of-fold scores, JSONL.")
  Path scores;

  @Option(names = "--datasets", defaultValue = "data/datasets", description = "Datasets folder.")
  Path datasets;

  // --version names the dataset version here, so picocli's standard -V/--version mixin cannot be
  // used;
  // help is declared explicitly instead.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean helpRequested;

  @Option(names = "--version", description = "Dataset version (default: CURRENT).")
  String version;

  @Option(
      names = "--out",
      description = "Review file (default: data/review/<version>-review.jsonl).")
  Path out;

  @Option(
      names = "--limit",
      defaultValue = "200",
      description = "Suspects written per category (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() throws Exception {
    Path dir = Paths.resolve(datasets);
    DatasetVersion v =
        version == null ? DatasetVersion.current(dir) : DatasetVersion.open(dir.resolve(version));
    Path target =
        out != null
            ? Paths.resolve(out)
            : Paths.home().resolve("data/review/" + v.id() + "-review.jsonl");
    ReviewQueue.Result r = ReviewQueue.run(v, Paths.resolve(scores), target, limit);
    System.out.printf(
        Locale.ROOT,
        "%-20s %8s %8s %8s %7s %7s %8s %8s%n",
        "category",
        "scored",
        "pos",
        "neg",
        "t_pos",
        "t_neg",
        "remove?",
        "add?");
    for (ReviewQueue.Summary s : r.summaries()) {
      System.out.printf(
          Locale.ROOT,
          "%-20s %8d %8d %8d %7.3f %7.3f %8d %8d%n",
          s.category(),
          s.scored(),
          s.positives(),
          s.negatives(),
          s.thresholdPositive(),
          s.thresholdNegative(),
          s.suspectedRemove(),
          s.suspectedAdd());
    }
    System.out.printf(
        Locale.ROOT,
        "scores not matching any record: %d; out of the category's label scope (ignored): %d; malformed lines: %d%n",
        r.unmatchedScores(),
        r.outOfScope(),
        r.malformed());
    System.out.println("review file: " + target);
    return 0;
  }
}
