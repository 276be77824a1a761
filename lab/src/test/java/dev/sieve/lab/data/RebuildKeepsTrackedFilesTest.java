package dev.sieve.lab.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.lab.data.cli.CardCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./sieve up} on a fresh clone runs {@code ./sieve data build}; the committed files of the
 * version it rebuilds (manifest, build report, data card, CURRENT) must come out byte-identical, or
 * the README's first command leaves {@code git status} dirty. Machine-dependent figures live in the
 * untracked {@code build-timings.json}.
 */
class RebuildKeepsTrackedFilesTest {

  private static final Path REPO_ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @Test
  void rebuildingAVersionInPlaceRewritesEveryCommittedFileByteForByte(@TempDir Path out)
      throws Exception {
    DatasetBuilder.Result first = Fixtures.build(out);
    Map<String, byte[]> before = committedFiles(out);
    // A different load on the machine between builds must not matter either.
    Thread.sleep(20);
    DatasetBuilder.Result second = Fixtures.build(out);

    assertThat(second.versionId()).isEqualTo(first.versionId());
    Map<String, byte[]> after = committedFiles(out);
    assertThat(after.keySet())
        .contains(
            "CURRENT",
            first.versionId() + "/manifest.json",
            first.versionId() + "/build-report.json",
            first.versionId() + "/data-card.md",
            first.versionId() + "/data-card.json")
        .isEqualTo(before.keySet());
    after.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(before.get(name)));
    for (var e : after.entrySet()) {
      assertThat(new String(e.getValue(), StandardCharsets.UTF_8))
          .as("machine-dependent figures in committed %s", e.getKey())
          .doesNotContain("build_seconds", "cpu_seconds", "load_average", "load average");
    }
    assertThat(out.resolve(first.versionId()).resolve(DatasetBuilder.BUILD_TIMINGS))
        .isRegularFile();
  }

  @Test
  void theTimingsFileIsIgnoredByGit() throws IOException {
    Path ignore = REPO_ROOT.resolve("data/datasets/.gitignore");
    assertThat(Files.readAllLines(ignore)).contains("*/" + DatasetBuilder.BUILD_TIMINGS);
  }

  @Test
  void dataCardTimingsPrintsTheLastBuildsFigures(@TempDir Path out) throws Exception {
    DatasetBuilder.Result built = Fixtures.build(out);
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      exit = new CommandLine(new CardCommand()).execute("--out", out.toString(), "--timings");
    } finally {
      System.setOut(original);
    }

    assertThat(exit).isZero();
    assertThat(stdout.toString(StandardCharsets.UTF_8))
        .startsWith(built.versionId() + " built in ")
        .containsPattern(
            "\\d+\\.\\d s wall, -?\\d+\\.\\d s CPU on \\d+ CPUs \\(system load average -?\\d+\\.\\d at start; Java \\S+\\)");
  }

  /** Every file under {@code out} that git would track: all but the ignored generated ones. */
  private static Map<String, byte[]> committedFiles(Path out) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(out)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String name = out.relativize(p).toString().replace('\\', '/');
        if (name.endsWith(".jsonl.gz") || name.endsWith("/" + DatasetBuilder.BUILD_TIMINGS)) {
          continue;
        }
        files.put(name, Files.readAllBytes(p));
      }
    }
    return files;
  }
}
