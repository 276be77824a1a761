package dev.sieve.cli.classify;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.sieve.cli.fleet.PortCheck;
import dev.sieve.cli.testing.CliRun;
import dev.sieve.cli.testing.FakeRouter;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.ClassifyResponse;
import org.junit.jupiter.api.Test;

class ClassifyCommandTest {

  @Test
  void printsTheVerdictWithReasonsTiersAndLineage() throws Exception {
    try (FakeRouter router = new FakeRouter(0)) {
      CliRun run =
          CliRun.of("classify", "https://www.pokerstars.com/", "--target", router.target());

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out())
          .contains("Action     BLOCK   alert: no   primary category: gambling")
          .contains("Policy     default version 2025-01")
          .contains("Cache      miss, TTL 3600 s")
          .containsPattern("gambling\\s+0\\.990\\s+0\\.500\\s+YES\\s+block\\s+url")
          .containsPattern("gambling\\s+url\\s+LIST_MATCH pokerstars.com \\[ut1/gambling\\]")
          .contains("Datasets   ds-fixture (url)\n")
          .containsPattern("url\\s+OK\\s+420 us\\s+url-table t-1\\n")
          .containsPattern("content\\s+SKIPPED\\s+-\\s+-\\s+no page body")
          .contains("NOT_DEPLOYED");
      // Zero-score categories are hidden unless --all.
      assertThat(run.out()).doesNotContainPattern("\\n  adult\\s");
    }
  }

  @Test
  void allListsEveryCategory() throws Exception {
    try (FakeRouter router = new FakeRouter(0)) {
      CliRun run =
          CliRun.of("classify", "https://www.wikipedia.org/", "--all", "--target", router.target());

      assertThat(run.exitCode()).isZero();
      assertThat(run.out())
          .containsPattern("\\n  adult\\s+0\\.000")
          .containsPattern("\\n  sports\\s+0\\.000");
    }
  }

  @Test
  void jsonIsTheProtobufJsonOfTheResponse() throws Exception {
    try (FakeRouter router = new FakeRouter(0)) {
      CliRun run =
          CliRun.of(
              "classify", "https://www.pokerstars.com/", "--json", "--target", router.target());

      assertThat(run.exitCode()).isZero();
      ClassifyResponse.Builder parsed = ClassifyResponse.newBuilder();
      JsonFormat.parser().merge(run.out(), parsed);
      assertThat(parsed.getAction()).isEqualTo(Action.ACTION_BLOCK);
      assertThat(parsed.getReasons(0).getEvidence().getDetail()).isEqualTo("pokerstars.com");
      assertThat(parsed.getCategoriesCount()).isEqualTo(Taxonomy.v1().ids().size());
    }
  }

  @Test
  void jsonDoesNotHtmlEscape() throws Exception {
    try (FakeRouter router = new FakeRouter(0)) {
      CliRun run =
          CliRun.of(
              "classify",
              "https://www.pokerstars.com/?a=1&b=<2>",
              "--json",
              "--target",
              router.target());

      assertThat(run.exitCode()).isZero();
      assertThat(run.out())
          .contains("\"normalizedUrl\": \"https://www.pokerstars.com/?a=1&b=<2>\"")
          .doesNotContain("\\u003d", "\\u0026", "\\u003c");
      ClassifyResponse.Builder parsed = ClassifyResponse.newBuilder();
      JsonFormat.parser().merge(run.out(), parsed);
      assertThat(parsed.getNormalizedUrl()).isEqualTo("https://www.pokerstars.com/?a=1&b=<2>");
      assertThat(parsed.getCategories(0).getThreshold()).isEqualTo(0.5);
    }
  }

  @Test
  void aGrpcErrorPrintsCodeAndDescriptionAndExits2() throws Exception {
    try (FakeRouter router = new FakeRouter(0)) {
      CliRun run = CliRun.of("classify", "http://invalid..example/", "--target", router.target());

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("INVALID_ARGUMENT: malformed URL: http://invalid..example/");
    }
  }

  @Test
  void anUnreachableRouterSaysRunSieveUpAndExits3() throws Exception {
    int port = PortCheck.freePort();

    CliRun run = CliRun.of("classify", "https://a.example/", "--target", "127.0.0.1:" + port);

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).contains("router not running at 127.0.0.1:" + port + ": run ./sieve up");
  }

  @Test
  void nothingToClassifyIsAUsageError() {
    CliRun run = CliRun.of("classify");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("give a URL, --html FILE or --text TEXT");
  }
}
