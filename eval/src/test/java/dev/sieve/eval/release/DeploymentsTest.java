package dev.sieve.eval.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.eval.cli.ReleaseCommand;
import dev.sieve.eval.gate.ReleaseGate;
import dev.sieve.eval.policy.EvaluationPolicy;
import dev.sieve.eval.release.Deployments.Stage;
import dev.sieve.eval.shadow.ShadowAnalysis;
import dev.sieve.eval.shadow.ShadowAnalysisTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code release promote} and {@code rollback} on a temporary copy of the repository's url model
 * versions, data card pointer and gate policy (the committed RELEASED pointers are never touched),
 * with the real release gate: the older url version fails it (drugs over-blocking on one source)
 * and is refused; the newer one (serving v1-762 in the copy) walks shadow, canary, serving, each
 * step with its conditions, and three rollbacks walk it back to where it started.
 */
class DeploymentsTest {

  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final String OLD = "v1-762b094c1355";
  private static final String NEW = "v1-b18390db9669";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  private Deployments deployments;

  @BeforeEach
  void copyRepository() throws IOException {
    copyTree(REPO.resolve("models/url-lexical"), home.resolve("models/url-lexical"));
    String current = Files.readString(REPO.resolve("data/datasets/CURRENT")).strip();
    copyTree(
        REPO.resolve("data/datasets").resolve(current),
        home.resolve("data/datasets").resolve(current));
    Files.copy(REPO.resolve("data/datasets/CURRENT"), home.resolve("data/datasets/CURRENT"));
    for (String file : new String[] {"release-gate.yaml", "release-known-failures.yaml"}) {
      if (Files.exists(REPO.resolve(file))) {
        Files.copy(REPO.resolve(file), home.resolve(file));
      }
    }
    EvaluationPolicy policy = EvaluationPolicy.resolve(null, home);
    deployments =
        new Deployments(home, dir -> ReleaseGate.check(dir, home, policy), Clock.systemUTC());
  }

  private String released() throws IOException {
    return Files.readString(home.resolve("models/url-lexical/RELEASED")).strip();
  }

  private Path shadowReport(String candidateModel) throws IOException {
    String file = ShadowAnalysisTest.syntheticFile().replace("m@2", candidateModel);
    ShadowAnalysis analysis =
        ShadowAnalysis.of(new BufferedReader(new StringReader(file)), "synthetic");
    Path dir = Files.createTempDirectory(home, "shadow");
    Files.writeString(
        dir.resolve("shadow-report.json"), JSON.writeValueAsString(analysis.summary()));
    return dir;
  }

  @Test
  void aCandidateFailingItsGateIsRefusedAndNothingIsRecorded() {
    assertThatThrownBy(
            () ->
                deployments.promote(
                    "url",
                    home.resolve("models/url-lexical/" + OLD),
                    Stage.SHADOW,
                    null,
                    null,
                    100))
        .isInstanceOf(Deployments.Refused.class)
        .hasMessageContaining("release gate fails")
        .hasMessageContaining("drugs");
    assertThat(home.resolve("deployments/url.json")).doesNotExist();
  }

  @Test
  void shadowCanaryServingThenRollbackAllTheWay() throws Exception {
    Files.writeString(home.resolve("models/url-lexical/RELEASED"), OLD + "\n");
    Path candidate = home.resolve("models/url-lexical/" + NEW);

    assertThatThrownBy(() -> deployments.promote("url", candidate, Stage.CANARY, null, null, 100))
        .hasMessageContaining("must be in shadow first");
    deployments.promote("url", candidate, Stage.SHADOW, null, null, 100);
    JsonNode state = deployments.read("url");
    assertThat(state.path("candidate").path("stage").asText()).isEqualTo("shadow");
    assertThat(state.path("serving").asText()).isEqualTo(OLD);

    assertThatThrownBy(() -> deployments.promote("url", candidate, Stage.SERVING, null, null, 100))
        .hasMessageContaining("must be in canary first");
    assertThatThrownBy(() -> deployments.promote("url", candidate, Stage.CANARY, null, null, 100))
        .hasMessageContaining("attach the candidate's shadow disagreement report");
    Path otherReport = shadowReport("url-lexical@v9-other");
    assertThatThrownBy(
            () -> deployments.promote("url", candidate, Stage.CANARY, otherReport, null, 100))
        .hasMessageContaining("not " + NEW);
    Path report = shadowReport("url-lexical@" + NEW);
    assertThatThrownBy(() -> deployments.promote("url", candidate, Stage.CANARY, report, null, 100))
        .hasMessageContaining("flags [gambling]");
    assertThatThrownBy(
            () -> deployments.promote("url", candidate, Stage.CANARY, report, "ok", 5000))
        .hasMessageContaining("fewer than 5000");
    deployments.promote(
        "url",
        candidate,
        Stage.CANARY,
        report,
        "gambling flips are card rooms the old list missed",
        100);
    state = deployments.read("url");
    assertThat(state.path("candidate").path("stage").asText()).isEqualTo("canary");
    assertThat(state.path("candidate").path("shadow_report").path("explanation").asText())
        .contains("card rooms");
    assertThat(
            state
                .path("candidate")
                .path("shadow_report")
                .path("summary")
                .path("needs_explanation")
                .get(0)
                .asText())
        .isEqualTo("gambling");

    deployments.promote(
        "url",
        candidate,
        Stage.SERVING,
        report,
        "gambling flips are card rooms the old list missed",
        100);
    assertThat(released()).isEqualTo(NEW);
    assertThat(deployments.read("url").path("candidate").isNull()).isTrue();

    // One command back each time: serving -> canary -> shadow -> nothing.
    deployments.rollback("url");
    assertThat(released()).isEqualTo(OLD);
    assertThat(deployments.read("url").path("candidate").path("stage").asText())
        .isEqualTo("canary");
    deployments.rollback("url");
    assertThat(deployments.read("url").path("candidate").path("stage").asText())
        .isEqualTo("shadow");
    deployments.rollback("url");
    assertThat(deployments.read("url").path("candidate").isNull()).isTrue();
    assertThat(released()).isEqualTo(OLD);
    assertThatThrownBy(() -> deployments.rollback("url"))
        .hasMessageContaining("nothing to roll back");
    assertThat(deployments.read("url").path("history")).hasSize(6);
  }

  @Test
  void rollbackIsOneCommandLine() throws Exception {
    Files.writeString(home.resolve("models/url-lexical/RELEASED"), OLD + "\n");
    CommandLine cli = new CommandLine(new ReleaseCommand());
    assertThat(
            cli.execute(
                "promote",
                "url",
                home.resolve("models/url-lexical/" + NEW).toString(),
                "--to",
                "shadow",
                "--home",
                home.toString()))
        .isZero();
    assertThat(
            cli.execute(
                "promote",
                "url",
                home.resolve("models/url-lexical/" + NEW).toString(),
                "--to",
                "serving",
                "--home",
                home.toString()))
        .isEqualTo(1);
    assertThat(cli.execute("rollback", "url", "--home", home.toString())).isZero();
    assertThat(deployments.read("url").path("candidate").isNull()).isTrue();
    assertThat(cli.execute("rollback", "url", "--home", home.toString())).isEqualTo(1);
    assertThat(released()).isEqualTo(OLD);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
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
