package dev.sieve.eval.cli;

import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * Turns expected failures (bad input, missing files, a tier that will not load) into one clear line
 * on stderr and exit code 1, instead of a stack trace; unexpected exceptions still propagate.
 */
final class Errors {

  private Errors() {}

  static Integer guard(String command, Callable<Integer> body) throws Exception {
    try {
      return body.call();
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      System.err.println(command + ": error: " + e.getMessage());
      return 1;
    }
  }
}
