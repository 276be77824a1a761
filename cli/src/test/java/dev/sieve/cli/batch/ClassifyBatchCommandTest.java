package dev.sieve.cli.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.cli.fleet.PortCheck;
import dev.sieve.cli.testing.CliRun;
import dev.sieve.cli.testing.FakeRouter;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.ProgressMode;
import dev.sieve.proto.v1.ClassifierGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyBatchCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  @Test
  void writesOneLinePerItemInInputOrderWithEveryCategory() throws Exception {
    Path in = dir.resolve("urls.txt");
    List<String> urls =
        IntStream.range(0, 120).mapToObj(i -> "https://site" + i + ".example/").toList();
    Files.write(in, urls);
    Path out = dir.resolve("out.jsonl");

    try (FakeRouter router = new FakeRouter(15)) {
      CliRun run =
          CliRun.of(
              "classify-batch",
              "--in",
              in.toString(),
              "--out",
              out.toString(),
              "--target",
              router.target(),
              "--concurrency",
              "16",
              "--no-progress");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(router.calls()).isEqualTo(120);
      assertThat(run.err())
          .contains("120 items")
          .contains("120 ok, 0 errors")
          .contains("items/s")
          .contains("input order");
    }
    List<JsonNode> results = lines(out);
    assertThat(results).hasSize(120);
    for (int i = 0; i < results.size(); i++) {
      JsonNode line = results.get(i);
      assertThat(line.get("id").asInt()).isEqualTo(i + 1);
      assertThat(line.get("url").asText()).isEqualTo(urls.get(i));
      List<String> categories = new ArrayList<>();
      line.get("categories").fieldNames().forEachRemaining(categories::add);
      assertThat(categories).containsExactlyElementsOf(Taxonomy.v1().ids());
      assertThat(line.get("categories").get("news").get("score").asDouble()).isEqualTo(0.02);
      assertThat(line.get("categories").get("news").get("decision").asBoolean()).isFalse();
      assertThat(line.get("action").asText()).isEqualTo("ALLOW");
      assertThat(line.get("alert").asBoolean()).isFalse();
      assertThat(line.get("primary_category").asText()).isEmpty();
      assertThat(line.get("tiers").get("url").asText()).isEqualTo("OK");
      assertThat(line.get("tiers").get("llm").asText()).isEqualTo("NOT_DEPLOYED");
      assertThat(line.get("degraded").asBoolean()).isFalse();
      assertThat(line.get("degraded_reasons")).isEmpty();
    }
  }

  @Test
  void anItemWhoseTierTimedOutUnderTheBatchLoadIsClassifiedAgain() throws Exception {
    Path in = dir.resolve("urls.txt");
    Files.write(
        in,
        List.of(
            "https://a.example/",
            "https://flaky1.example/",
            "https://b.example/",
            "https://flaky2.example/"));
    Path out = dir.resolve("out.jsonl");
    try (FakeRouter router = new FakeRouter(5)) {
      CliRun run =
          CliRun.of(
              "classify-batch",
              "--in",
              in.toString(),
              "--out",
              out.toString(),
              "--target",
              router.target(),
              "--no-progress");
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(router.calls()).isEqualTo(6);
      assertThat(run.err()).contains("2 item(s) classified again");
    }
    assertThat(lines(out))
        .extracting(n -> n.get("tiers").get("url").asText())
        .containsExactly("OK", "OK", "OK", "OK");
  }

  @Test
  void aBatchAboveTheFleetsCapacitySlowsDownUntilEveryVerdictIsHealthy() throws Exception {
    Path in = dir.resolve("urls.txt");
    Files.write(
        in, IntStream.range(0, 40).mapToObj(i -> "https://page" + i + ".example/").toList());
    Path out = dir.resolve("out.jsonl");
    try (FakeRouter router = new FakeRouter(5).capacity(2)) {
      CliRun run =
          CliRun.of(
              "classify-batch",
              "--in",
              in.toString(),
              "--out",
              out.toString(),
              "--target",
              router.target(),
              "--concurrency",
              "16",
              "--no-progress");
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(router.degradedAnswers())
          .as("the first burst exceeded the fake fleet's capacity")
          .isPositive();
      assertThat(run.err())
          .contains("lowered the items in flight from 16")
          .contains("classified again")
          .doesNotContain("WARNING");
    }
    // Every line is the fleet's healthy judgement, none the fail-closed BLOCK of an overloaded
    // tier.
    List<JsonNode> results = lines(out);
    assertThat(results).hasSize(40);
    assertThat(results).extracting(n -> n.get("degraded").asBoolean()).containsOnly(false);
    assertThat(results).extracting(n -> n.get("action").asText()).containsOnly("ALLOW");
    assertThat(results)
        .extracting(n -> n.get("tiers").get("content").asText())
        .containsOnly("SKIPPED");
  }

  @Test
  void aTierThatStaysDownIsRetriedForAFewItemsThenEveryLineSaysDegraded() throws Exception {
    Path in = dir.resolve("urls.txt");
    Files.write(in, IntStream.range(0, 6).mapToObj(i -> "https://down" + i + ".example/").toList());
    Path out = dir.resolve("out.jsonl");
    try (FakeRouter router = new FakeRouter(1)) {
      ManagedChannel channel =
          ManagedChannelBuilder.forTarget(router.target()).usePlaintext().build();
      try {
        BatchRunner runner =
            new BatchRunner(
                ClassifierGrpc.newStub(channel),
                new BatchRunner.Options(1, Duration.ofSeconds(5), "", List.of(), false),
                new long[] {1, 1});
        StringWriter err = new StringWriter();
        BatchSummary summary = runner.run(in, out, new PrintWriter(err, true), ProgressMode.OFF);
        assertThat(summary.written()).isEqualTo(6);
        assertThat(runner.retried())
            .as("retried until the tier looked down")
            .isEqualTo(BatchRunner.TIER_DOWN_ITEMS);
        assertThat(runner.stillDegraded()).isEqualTo(6);
        assertThat(router.calls()).isEqualTo(6 + BatchRunner.TIER_DOWN_ITEMS * 2);
        assertThat(err.toString())
            .contains("WARNING 6 item(s) written with a degraded verdict")
            .contains("looks down");
      } finally {
        channel.shutdownNow();
      }
    }
    List<JsonNode> results = lines(out);
    assertThat(results).extracting(n -> n.get("degraded").asBoolean()).containsOnly(true);
    assertThat(results)
        .extracting(n -> n.get("degraded_reasons").get(0).asText())
        .containsOnly("DEGRADED_TIER_UNAVAILABLE");
    assertThat(results)
        .extracting(n -> n.get("tiers").get("content").asText())
        .containsOnly("CIRCUIT_OPEN");
  }

  @Test
  void itemErrorsAreWrittenInPlaceAndTheBatchContinues() throws Exception {
    Path in = dir.resolve("items.jsonl");
    Files.writeString(
        in,
        """
        {"id": "ok-1", "url": "https://www.pokerstars.com/"}
        {"id": "bad-url", "url": "http://invalid..example/"}
        {"id": "bad-json", "url": }
        {"id": "text-only", "text": "an essay about volcanoes"}
        {"id": "empty"}
        {"id": "ok-2", "url": "https://www.wikipedia.org/"}
        """);
    Path out = dir.resolve("out.jsonl");

    try (FakeRouter router = new FakeRouter(5)) {
      CliRun run =
          CliRun.of(
              "classify-batch",
              "--in",
              in.toString(),
              "--out",
              out.toString(),
              "--target",
              router.target(),
              "--no-progress");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.err()).contains("3 ok, 3 errors (INVALID_ARGUMENT: 3)");
    }
    List<JsonNode> results = lines(out);
    assertThat(results)
        .extracting(n -> n.get("id").asText())
        .as("an unreadable line's id is its line number")
        .containsExactly("ok-1", "bad-url", "3", "text-only", "empty", "ok-2");
    assertThat(results.get(0).get("action").asText()).isEqualTo("BLOCK");
    assertThat(results.get(0).get("primary_category").asText()).isEqualTo("gambling");
    assertThat(results.get(0).get("categories").get("gambling").get("decision").asBoolean())
        .isTrue();
    assertThat(results.get(1).get("error").get("code").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(results.get(1).get("error").get("message").asText()).contains("malformed URL");
    assertThat(results.get(1).has("categories")).isFalse();
    assertThat(results.get(2).get("error").get("code").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(results.get(2).get("error").get("message").asText())
        .startsWith("line 3: malformed JSON");
    assertThat(results.get(3).get("url").isNull()).isTrue();
    assertThat(results.get(3).get("action").asText()).isEqualTo("ALLOW");
    assertThat(results.get(4).get("error").get("message").asText()).isEqualTo("empty request");
    assertThat(results.get(5).get("action").asText()).isEqualTo("ALLOW");
  }

  @Test
  void anUnreachableRouterIsReportedWithExitCode3() throws Exception {
    Path in = dir.resolve("urls.txt");
    Files.writeString(in, "https://a.example/\n");
    int port = PortCheck.freePort();

    CliRun run =
        CliRun.of(
            "classify-batch",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("o.jsonl").toString(),
            "--target",
            "127.0.0.1:" + port,
            "--no-progress");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err()).contains("router not running at 127.0.0.1:" + port + ": run ./sieve up");
  }

  @Test
  void aMixedFileIsRefusedWithExitCode2BeforeAnyItemIsSent() throws Exception {
    Path in = dir.resolve("mixed.txt");
    Files.writeString(
        in,
        "https://www.pokerstars.com/\n{\"id\": \"x\", \"url\": \"https://www.wikipedia.org/\"}\n");
    Path out = dir.resolve("out.jsonl");

    try (FakeRouter router = new FakeRouter(5)) {
      CliRun run =
          CliRun.of(
              "classify-batch",
              "--in",
              in.toString(),
              "--out",
              out.toString(),
              "--target",
              router.target(),
              "--no-progress");

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
      assertThat(run.err())
          .contains("mixes JSONL lines (first: line 2) and URL lines (first: line 1)")
          .contains("one format per file");
      assertThat(router.calls()).isZero();
    }
    assertThat(out).doesNotExist();
  }

  @Test
  void aMissingInputFileIsAnIoError() {
    CliRun run =
        CliRun.of(
            "classify-batch",
            "--in",
            dir.resolve("nope.txt").toString(),
            "--out",
            dir.resolve("o").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot read input");
  }

  @Test
  void progressLineShowsCountRateAndEta() {
    ProgressBar bar =
        new ProgressBar(
            new PrintWriter(new StringWriter()), ProgressMode.OFF, 200, () -> 0, () -> 0);
    assertThat(bar.render(50, 2, 10.0)).isEqualTo("50/200  25.0%  5.0 items/s  ETA 30s  errors 2");
    assertThat(ProgressBar.formatSeconds(3725)).isEqualTo("1h2m");
  }

  @Test
  void onATerminalTheLibraryBarIsLeftAtItsFinalStateOnItsOwnLine() {
    StringWriter text = new StringWriter();
    ProgressBar bar =
        new ProgressBar(new PrintWriter(text), ProgressMode.TTY, 200, () -> 50, () -> 2);
    bar.close();
    String drawn = text.toString();
    String last = drawn.substring(drawn.lastIndexOf('\r') + 1);
    assertThat(last).contains("classify", "25%", "50/200", "errors 2").endsWith("\n");
  }

  @Test
  void inALogThereIsNoBar() {
    StringWriter text = new StringWriter();
    ProgressBar bar =
        new ProgressBar(new PrintWriter(text), ProgressMode.PLAIN, 200, () -> 50, () -> 2);
    bar.close();
    assertThat(text.toString()).doesNotContain("\r", "[");
  }
}
