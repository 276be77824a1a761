package dev.sieve.eval.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sieve.eval.card.ShadowDocument;
import dev.sieve.eval.shadow.ShadowAnalysis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./sieve eval shadow FILE [--out DIR]}: the shadow disagreement report of a candidate tier
 * version from the router's disagreement file, printed as a table and, with {@code --out}, written
 * as Markdown + HTML + a JSON summary (the attachment {@code ./sieve release promote} asks for).
 */
@Command(
    name = "shadow",
    mixinStandardHelpOptions = true,
    description = {
      "Disagreement between a tier's serving and candidate version on live traffic, from the router's",
      "disagreement file (./sieve up --candidate ..., SIEVE_CANDIDATE_LOG_FILE): per category the decision-flip",
      "rate with a 95%% interval (lines weighted by 1/log_p), flips by direction, mean |score delta|, hosts behind",
      "the flips. docs/operations.md, \"Shadow and canary\"."
    })
public final class EvalShadowCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "The disagreement JSONL (.gz ok).")
  Path file;

  @Option(names = "--out", description = "Directory for shadow-report.md, .html and .json.")
  Path out;

  @Override
  public Integer call() throws Exception {
    return Errors.guard("eval shadow", this::run);
  }

  private Integer run() throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no disagreement file " + file + " (is a candidate deployed with a log file?)");
    }
    ShadowAnalysis analysis = ShadowAnalysis.of(file);
    System.out.printf(
        Locale.ROOT,
        "%d logged comparisons (about %d in all); serving %s, candidate %s%n",
        analysis.lines(),
        Math.round(analysis.estimatedComparisons()),
        analysis.servingModels().keySet(),
        analysis.candidateModels().keySet());
    System.out.printf(
        Locale.ROOT,
        "%-20s %10s %6s %8s %8s %26s %10s%n",
        "category",
        "compared",
        "flips",
        "cand+",
        "serv+",
        "flip rate [95% CI]",
        "mean|d|");
    for (ShadowAnalysis.Row r : analysis.rows()) {
      System.out.printf(
          Locale.ROOT,
          "%-20s %10d %6d %8d %8d %8.4f [%.4f, %.4f] %10.4f%n",
          r.category(),
          Math.round(r.compared()),
          r.flips(),
          r.candidateOnly(),
          r.servingOnly(),
          r.flipRate(),
          r.interval().lower(),
          r.interval().upper(),
          r.meanAbsDelta());
    }
    System.out.println(
        "needs an explanation before promotion: "
            + (analysis.needingExplanation().isEmpty()
                ? "none"
                : String.join(", ", analysis.needingExplanation())));
    if (out != null) {
      Files.createDirectories(out);
      Files.writeString(
          out.resolve(ShadowDocument.MARKDOWN),
          ShadowDocument.markdown(analysis),
          StandardCharsets.UTF_8);
      Files.writeString(
          out.resolve(ShadowDocument.HTML), ShadowDocument.html(analysis), StandardCharsets.UTF_8);
      Files.writeString(
          out.resolve(ShadowDocument.JSON),
          new ObjectMapper()
                  .enable(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(analysis.summary())
              + "\n",
          StandardCharsets.UTF_8);
      System.out.println(
          "wrote "
              + out.resolve(ShadowDocument.MARKDOWN)
              + ", "
              + ShadowDocument.HTML
              + " and "
              + ShadowDocument.JSON);
    }
    return 0;
  }
}
