package dev.sieve.core.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The code commit a trainer records in a model's provenance: {@code git rev-parse HEAD} of the
 * repository, with "+dirty" when the paths that produced the model have uncommitted changes (the
 * model then came from code no commit holds). One helper for every trainer, so provenance reads the
 * same in every model card.
 */
public final class CodeCommit {

  private CodeCommit() {}

  /**
   * @param home repository root
   * @param paths paths (relative to {@code home}) whose uncommitted changes make the commit dirty
   * @return the 40-hex commit, optionally with "+dirty"; "unknown (no git HEAD in ...)" outside git
   */
  public static String of(Path home, String... paths) {
    String head = git(home, "rev-parse", "HEAD");
    if (!head.matches("[0-9a-f]{40}")) {
      return "unknown (no git HEAD in " + home + ")";
    }
    List<String> status = new ArrayList<>(List.of("status", "--porcelain", "--"));
    status.addAll(List.of(paths));
    return head + (git(home, status.toArray(String[]::new)).isEmpty() ? "" : "+dirty");
  }

  /** Output of {@code git -C home args}, stripped; "" when git fails or is missing. */
  private static String git(Path home, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", home.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? output : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
