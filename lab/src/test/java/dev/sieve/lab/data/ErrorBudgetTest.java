package dev.sieve.lab.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is reported by file and line, and fails the build only past the configured budget. */
class ErrorBudgetTest {

  @Test
  void invalidLinesOverTheBudgetFailAndNameTheFile(@TempDir Path out) throws Exception {
    DatasetBuilder.Result r =
        new DatasetBuilder(Fixtures.options(out, out.resolve("none"), "s", 0.05), System.err)
            .build();
    assertThat(r.ok()).isFalse();
    assertThat(String.join("\n", r.budgetViolations()))
        .contains("ut1/gambling/domains: 2 of 9 lines invalid")
        .contains("no_public_suffix=1")
        .contains("exceeds the error budget of 5.00% per file");
    assertThat(out.resolve("failed-build-report.json")).exists();
    assertThat(out.resolve("CURRENT")).doesNotExist();
  }

  @Test
  void unknownCategoryAndUnreadableFileAreFileErrors(@TempDir Path tmp) throws Exception {
    Path raw = tmp.resolve("raw");
    copyTree(Fixtures.raw(), raw);
    Files.createDirectories(raw.resolve("ut1/brand_new_list"));
    Files.writeString(raw.resolve("ut1/brand_new_list/domains"), "new.example.com\n");
    Files.write(
        raw.resolve("shadowwhisperer/Gambling.txt.gz"),
        new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    Files.delete(raw.resolve("shadowwhisperer/Gambling.txt"));
    Path out = tmp.resolve("out");
    DatasetBuilder.Options strict =
        new DatasetBuilder.Options(
            raw, out, Fixtures.mapping(), tmp.resolve("none"), "s", 0.5, 0, true);
    DatasetBuilder.Result r = new DatasetBuilder(strict, System.err).build();
    assertThat(r.ok()).isFalse();
    String message = String.join("\n", r.budgetViolations());
    assertThat(message)
        .contains("2 file-level error(s) exceed the budget of 0")
        .contains(
            "ut1/brand_new_list/domains UNKNOWN_CATEGORY: source category ut1/brand_new_list has no row")
        .contains("shadowwhisperer/Gambling.txt.gz UNREADABLE_FILE");

    DatasetBuilder.Options tolerant =
        new DatasetBuilder.Options(
            raw, out, Fixtures.mapping(), tmp.resolve("none"), "s", 0.5, 2, true);
    DatasetBuilder.Result ok = new DatasetBuilder(tolerant, System.err).build();
    assertThat(ok.ok()).isTrue();
    String card = Files.readString(ok.versionDir().resolve("data-card.md"));
    assertThat(card).contains("UNKNOWN_CATEGORY").contains("UNREADABLE_FILE");
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
