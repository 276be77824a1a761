package dev.sieve.eval.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.eval.cli.ReleaseCommand;
import dev.sieve.eval.policy.EvaluationPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code release check} on a directory that is not a model version (a typo, a version from an old
 * doc) names what does exist: the released version of every model, instead of only suggesting to
 * generate a card there.
 */
class WrongModelDirectoryTest {

  @TempDir Path home;

  private void released(String model, String version) throws IOException {
    Files.createDirectories(home.resolve("models").resolve(model).resolve(version));
    Files.writeString(home.resolve("models").resolve(model).resolve("RELEASED"), version + "\n");
  }

  @Test
  void aMissingDirectoryListsTheReleasedVersions() throws IOException {
    released("url-lexical", "v1-abc");
    released("content-minilm-mlp", "20261125-xyz");
    Path typo = home.resolve("models/url-lexical/1.0.0");

    GateReport report = ReleaseGate.check(typo, home, EvaluationPolicy.resolve(null, home));

    assertThat(report.passed()).isFalse();
    assertThat(report.render())
        .contains("no model directory " + typo)
        .contains(
            "released versions (models/<name>/RELEASED): models/content-minilm-mlp/20261125-xyz, models/url-lexical/v1-abc")
        .doesNotContain("generate it with");
  }

  @Test
  void aDirectoryWithoutACardSaysHowToMakeOneAndListsTheReleasedVersions() throws IOException {
    released("url-lexical", "v1-abc");
    Path empty = Files.createDirectories(home.resolve("models/url-lexical/v2-new"));

    String rendered = ReleaseGate.check(empty, home, EvaluationPolicy.resolve(null, home)).render();

    assertThat(rendered)
        .contains("no model card at")
        .contains("./sieve eval run --model-dir " + empty)
        .contains("models/url-lexical/v1-abc");
  }

  @Test
  void theCommandExitsOneAndPrintsTheList() throws IOException {
    released("llm-zero-shot", "zs-1");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      exit =
          new CommandLine(new ReleaseCommand())
              .execute("check", home.resolve("models/nope").toString(), "--home", home.toString());
    } finally {
      System.setOut(original);
    }

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("models/llm-zero-shot/zs-1")
        .contains("RELEASE GATE FAILED");
  }

  @Test
  void noReleasedModelsIsSaidPlainly() {
    assertThat(ReleaseGate.releasedVersions(home))
        .contains("no released versions under " + home.resolve("models"));
  }
}
