package dev.sieve.lab.data.cli;

import dev.sieve.core.util.Settings;
import java.nio.file.Path;

/** Resolves command-line paths against SIEVE_HOME (the repository root; default: working dir). */
final class Paths {

  private Paths() {}

  static Path home() {
    return Path.of(Settings.get("SIEVE_HOME", ".")).toAbsolutePath().normalize();
  }

  static Path resolve(Path p) {
    return p.isAbsolute() ? p : home().resolve(p).normalize();
  }
}
