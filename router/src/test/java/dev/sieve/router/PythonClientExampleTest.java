package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.TierName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client in examples/python-client, generated from the proto with Debian's protoc and
 * gRPC plugin and run with Debian's python3-grpcio, against a real router on a loopback port: a
 * client in another language can program against the contract (issue #16). The url tier is a test
 * double (it answers gambling for the casino host); the router, its wire format and statuses are
 * real.
 *
 * <p>Needs protoc, grpc_python_plugin and /usr/bin/python3 with grpc; {@code ./sieve test} installs
 * them (helm/tools/install-python-grpc.sh). Without them the test fails and says what to install.
 */
class PythonClientExampleTest {

  private static final Path EXAMPLE =
      Path.of(System.getProperty("user.dir")).getParent().resolve("examples/python-client");
  private static final String PYTHON = "/usr/bin/python3";

  @Test
  void thePythonClientClassifiesListsCategoriesAndBranchesOnStatusCodes(@TempDir Path generated)
      throws Exception {
    run(
        List.of("bash", EXAMPLE.resolve("generate.sh").toString(), generated.toString()),
        null,
        0,
        "generating the stubs (needs protoc and grpc_python_plugin: bash helm/tools/install-python-grpc.sh)");

    FakeTier url =
        new FakeTier("url", Taxonomy.v1().ids())
            .behave(
                request ->
                    new FakeTier.Answer(
                        request.getUrl().contains("casino")
                            ? new FakeTier("url", Taxonomy.v1().ids())
                                .response(Map.of("gambling", 0.97))
                            : new FakeTier("url", Taxonomy.v1().ids())
                                .response(Map.of("gambling", 0.01))));
    try (RouterHarness harness = RouterHarness.builder().tier(TierName.URL, url).build()) {
      GrpcServerLauncher server = harness.router().serve();
      try {
        String target = "127.0.0.1:" + server.port();
        String out =
            run(
                List.of(
                    PYTHON,
                    EXAMPLE.resolve("sieve_client.py").toString(),
                    "--target",
                    target,
                    "https://casino.example/",
                    "https://www.openstax.org/",
                    "http://exa mple.com/"),
                generated,
                1,
                "the client (needs python3-grpcio: bash helm/tools/install-python-grpc.sh)");
        assertThat(out)
            .contains(
                "https://casino.example/\taction=ACTION_BLOCK\tprimary=gambling\talert=false");
        assertThat(out)
            .contains("https://www.openstax.org/\taction=ACTION_ALLOW\tprimary=-\talert=false");
        assertThat(out)
            .as("a malformed URL is INVALID_ARGUMENT, branched on the code")
            .contains("http://exa mple.com/\trejected\t");

        String categories =
            run(
                List.of(
                    PYTHON,
                    EXAMPLE.resolve("sieve_client.py").toString(),
                    "--target",
                    target,
                    "--list-categories"),
                generated,
                0,
                "the client's --list-categories");
        assertThat(categories.lines().map(line -> line.split("\t")[0]).toList())
            .containsAll(Taxonomy.v1().ids());
      } finally {
        server.shutdownGracefully(Duration.ZERO);
      }
    }
  }

  private static String run(List<String> command, Path pythonPath, int expectedExit, String what)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    if (pythonPath != null) {
      builder.environment().put("PYTHONPATH", pythonPath.toString());
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return fail(what + ": " + e.getMessage());
    }
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return fail(what + ": no answer in 120 s");
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != expectedExit) {
      fail(what + ": exit " + process.exitValue() + " (expected " + expectedExit + ")\n" + out);
    }
    return out;
  }
}
