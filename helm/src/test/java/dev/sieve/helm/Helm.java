package dev.sieve.helm;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real helm binary against the chart, because the chart's behaviour (schema validation,
 * template functions, fail messages) is defined by helm itself and cannot be reproduced faithfully
 * by parsing the templates.
 *
 * <p>The binary is taken from the {@code sieve.helm} system property or the {@code SIEVE_HELM}
 * environment variable, else from {@code <repo>/.tools/helm/bin/helm} where {@code
 * helm/tools/install-helm.sh} puts it. A missing binary fails the tests instead of skipping them: a
 * skipped chart check is a chart nobody checked.
 */
final class Helm {

  /** Release name and namespace used for every render unless a test says otherwise. */
  static final String RELEASE = "sieve";

  static final String NAMESPACE = "sieve";

  private static final long TIMEOUT_SECONDS = 60;

  /** Exit code and both output streams of one helm invocation. */
  record Result(int exitCode, String stdout, String stderr) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  private Helm() {}

  static Path repoRoot() {
    return Paths.get(System.getProperty("sieve.repo.root", "..")).toAbsolutePath().normalize();
  }

  static Path chartDir() {
    return Paths.get(
            System.getProperty("sieve.chart.dir", repoRoot().resolve("helm/sieve").toString()))
        .toAbsolutePath()
        .normalize();
  }

  static Path productionValues() {
    return chartDir().resolve("ci/production-values.yaml");
  }

  static Path binary() {
    String configured = System.getProperty("sieve.helm");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("SIEVE_HELM");
    }
    if (configured != null && !configured.isBlank()) {
      Path path = Paths.get(configured);
      if (!Files.isExecutable(path)) {
        fail("SIEVE_HELM points to " + path + ", which is not an executable file");
      }
      return path;
    }
    Path installed = repoRoot().resolve(".tools/helm/bin/helm");
    if (!Files.isExecutable(installed)) {
      fail(
          "helm binary not found at "
              + installed
              + ". Run helm/tools/install-helm.sh from the repository root (CI runs it before the"
              + " tests), or point SIEVE_HELM at a helm binary.");
    }
    return installed;
  }

  /** Runs {@code helm <args>} with helm's config, cache and data homes inside target/. */
  static Result run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(args);
    Path home =
        Paths.get(System.getProperty("sieve.helm.home", "target/helm-home")).toAbsolutePath();
    try {
      Files.createDirectories(home);
      Path out = Files.createTempFile(home, "helm", ".out");
      Path err = Files.createTempFile(home, "helm", ".err");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .directory(chartDir().toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
        builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
        builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          fail("helm did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        return new Result(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /**
   * {@code helm template} of the chart with the given extra arguments (values files, --set ...).
   */
  static Result template(String release, List<String> extraArgs) {
    List<String> args =
        new ArrayList<>(
            List.of("template", release, chartDir().toString(), "--namespace", NAMESPACE));
    args.addAll(extraArgs);
    return run(args);
  }

  /** Renders the chart and fails the test with helm's message when the render fails. */
  static Manifests render(String... extraArgs) {
    return renderRelease(RELEASE, extraArgs);
  }

  static Manifests renderRelease(String release, String... extraArgs) {
    Result result = template(release, List.of(extraArgs));
    if (!result.succeeded()) {
      fail(
          "helm template "
              + String.join(" ", extraArgs)
              + " failed (exit "
              + result.exitCode()
              + "):\n"
              + result.stderr());
    }
    return Manifests.parse(result.stdout());
  }
}
