package dev.sieve.cli.support;

import dev.sieve.core.util.Settings;
import java.nio.file.Path;

/**
 * Where things are for one {@code ./sieve} invocation.
 *
 * <ul>
 *   <li>{@code home} ({@code SIEVE_HOME}, default: working directory): data/ and models/ the
 *       services read;
 *   <li>{@code buildRoot} ({@code SIEVE_BUILD_ROOT}, default: home): the checkout whose {@code
 *       <module>/target/} holds the service jars;
 *   <li>{@code runtimeDir} ({@code SIEVE_RUNTIME_DIR}, default: home/.sieve): {@code run/} (pid and
 *       port files) and {@code logs/} of a local fleet. Git-ignored.
 * </ul>
 *
 * They are separate so a test (or a second checkout) can run the fleet from one build against
 * another data directory.
 */
public record SieveLayout(Path home, Path buildRoot, Path runtimeDir) {

  public static SieveLayout fromSettings() {
    Path home = absolute(Settings.get("SIEVE_HOME", "."));
    Path buildRoot = Settings.get("SIEVE_BUILD_ROOT").map(SieveLayout::absolute).orElse(home);
    Path runtimeDir =
        Settings.get("SIEVE_RUNTIME_DIR").map(SieveLayout::absolute).orElse(home.resolve(".sieve"));
    return new SieveLayout(home, buildRoot, runtimeDir);
  }

  public Path runDir() {
    return runtimeDir.resolve("run");
  }

  public Path logsDir() {
    return runtimeDir.resolve("logs");
  }

  private static Path absolute(String path) {
    return Path.of(path).toAbsolutePath().normalize();
  }
}
