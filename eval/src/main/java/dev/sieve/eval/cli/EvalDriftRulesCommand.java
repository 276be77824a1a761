package dev.sieve.eval.cli;

import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.card.ModelCardGenerator;
import dev.sieve.eval.drift.DriftRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./sieve eval drift-rules <model-dir> --out FILE}: the Prometheus recording rules with a
 * card's reference score distribution, which the chart's drift alerts compare live traffic with
 * (helm/sieve/monitoring/sieve-drift-reference.rules.yaml is this, for the released fleet card).
 */
@Command(
    name = "drift-rules",
    mixinStandardHelpOptions = true,
    description = {
      "Prometheus recording rules with a card's reference score distribution and decision rate",
      "(sieve:card_score_bin_share, sieve:card_decision_rate) for the chart's drift alerts. After a fleet",
      "release: ./sieve eval drift-rules models/sieve-fleet/$(cat models/sieve-fleet/RELEASED) \\",
      "  --out helm/sieve/monitoring/sieve-drift-reference.rules.yaml"
    })
public final class EvalDriftRulesCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      description = "Model directory (or model-card.json); the fleet card for the served scores.")
  Path card;

  @Option(names = "--out", required = true, description = "Rule file to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    return Errors.guard(
        "eval drift-rules",
        () -> {
          ModelCard c =
              ModelCardGenerator.read(
                  Files.isDirectory(card) ? card.resolve(ModelCard.JSON) : card);
          Files.writeString(
              out,
              DriftRules.generate(c, EvalDriftCommand.tierOf(c), COMMAND),
              StandardCharsets.UTF_8);
          System.out.println("wrote " + out);
          return 0;
        });
  }

  /** How the chart's file says it was made. */
  public static final String COMMAND =
      "./sieve eval drift-rules <fleet model dir> --out <this file>";
}
