package dev.sieve.lab.data.cli;

import dev.sieve.lab.data.review.OverlayWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./sieve data overlay}: reviewed queue decisions -> data/overlays/<name>.jsonl. */
@Command(
    name = "overlay",
    mixinStandardHelpOptions = true,
    description =
        "Turn the decisions of a reviewed queue into a versioned label overlay (applied by the next build).")
public final class OverlayCommand implements Callable<Integer> {

  @Option(
      names = "--from",
      required = true,
      description = "Reviewed queue (JSONL with decision add/remove/keep).")
  Path from;

  @Option(
      names = "--name",
      required = true,
      description = "Overlay name, e.g. 2025-11-gambling-review.")
  String name;

  @Option(names = "--overlays", defaultValue = "data/overlays", description = "Overlay folder.")
  Path overlays;

  @Override
  public Integer call() throws Exception {
    if (!name.matches("[A-Za-z0-9._-]+")) {
      System.err.println("overlay name may contain letters, digits, '.', '_' and '-' only");
      return 2;
    }
    Path target = Paths.resolve(overlays).resolve(name + ".jsonl");
    OverlayWriter.Result r = OverlayWriter.write(Paths.resolve(from), target);
    System.out.printf(
        "%s: %d corrections (%d kept as labelled, %d undecided, %d invalid rows)%n",
        target, r.corrections(), r.kept(), r.undecided(), r.invalid());
    return 0;
  }
}
