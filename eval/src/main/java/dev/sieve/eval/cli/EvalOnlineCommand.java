package dev.sieve.eval.cli;

import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.card.ModelCardGenerator;
import dev.sieve.eval.online.OnlineEvaluation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./sieve eval online <card dir> --batch VERDICTS --labels LABELS [--out DIR]}: online
 * precision and recall of served verdicts against later labels, weighted by the labels' sampling
 * probabilities, compared with the card's offline numbers ({@link OnlineEvaluation}).
 */
@Command(
    name = "online",
    mixinStandardHelpOptions = true,
    description = {
      "Offline against online: classify-batch verdicts joined with later labels (JSONL {\"url\"|\"id\",",
      "\"categories\", \"judged\", \"p\"}; p = the probability the item was drawn for labelling), per category",
      "online precision and recall (weighted by 1/p, 95%% Wilson intervals) against the card's; names the",
      "categories where the card's value lies outside the online interval. docs/operations.md, \"Offline against online\"."
    })
public final class EvalOnlineCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      description =
          "The card the verdicts are compared with (models/sieve-fleet/<v> for served verdicts).")
  Path card;

  @Option(
      names = "--batch",
      required = true,
      description = "./sieve classify-batch output (JSONL).")
  Path batch;

  @Option(
      names = "--labels",
      required = true,
      description = "Labels JSONL (the annotation app's export).")
  Path labels;

  @Option(names = "--out", description = "Directory for online-report.md.")
  Path out;

  @Option(names = "--fail-on-gap", description = "Exit 1 when a category's gap is significant.")
  boolean failOnGap;

  @Override
  public Integer call() throws Exception {
    return Errors.guard("eval online", this::run);
  }

  private Integer run() throws IOException {
    ModelCard c =
        ModelCardGenerator.read(Files.isDirectory(card) ? card.resolve(ModelCard.JSON) : card);
    OnlineEvaluation evaluation = OnlineEvaluation.of(batch, labels, OnlineEvaluation.offline(c));
    String report =
        evaluation.markdown(
            batch.toString(),
            labels.toString(),
            c.modelDetails().name() + " " + c.modelDetails().version());
    System.out.print(report);
    if (out != null) {
      Files.createDirectories(out);
      Files.writeString(out.resolve("online-report.md"), report, StandardCharsets.UTF_8);
      System.out.println("wrote " + out.resolve("online-report.md"));
    }
    return failOnGap && !evaluation.significantGaps().isEmpty() ? 1 : 0;
  }
}
