package dev.sieve.eval.cli;

import dev.sieve.eval.card.ModelCardGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./sieve eval card <model-dir>}: re-render model-card.md/.html from model-card.json. */
@Command(
    name = "card",
    mixinStandardHelpOptions = true,
    description =
        "Re-render model-card.md and model-card.html from model-card.json (byte-identical for the same JSON).")
public final class EvalCardCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "Model version directory holding model-card.json.")
  Path modelDir;

  @Override
  public Integer call() throws Exception {
    return Errors.guard("eval card", this::run);
  }

  private Integer run() {
    ModelCardGenerator.CardFiles files = ModelCardGenerator.rerender(modelDir);
    System.out.println("wrote " + files.markdown() + " and " + files.html());
    return 0;
  }
}
