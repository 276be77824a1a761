package dev.sieve.cli.classify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.sieve.cli.fleet.DefaultTargets;
import dev.sieve.cli.fleet.FleetService;
import dev.sieve.cli.support.Channels;
import dev.sieve.cli.support.DurationConverter;
import dev.sieve.cli.support.GrpcErrors;
import dev.sieve.cli.support.HostPort;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./sieve classify <url>}: one Classify call against the router, printed as a readable
 * verdict (or as the response's JSON). The quickest way to ask "why was this blocked?".
 */
@Command(
    name = "classify",
    description = {
      "Classify one URL (and optionally its page) with the router; print the verdict and why.",
      "",
      "Exit codes: 0 ok, 2 the router answered with an error (e.g. INVALID_ARGUMENT), 3 router unreachable."
    },
    mixinStandardHelpOptions = true)
public final class ClassifyCommand implements Callable<Integer> {

  /** Exit code when the router answered with a gRPC error. */
  public static final int EXIT_RPC_ERROR = 2;

  /** Exit code when nothing answered at the target. */
  public static final int EXIT_UNREACHABLE = 3;

  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "URL",
      description = "The URL to classify (optional with --html/--text).")
  String url;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Page HTML to send with the URL ('-' = stdin).")
  String htmlFile;

  @Option(names = "--text", paramLabel = "TEXT", description = "Page text to send with the URL.")
  String text;

  @Option(names = "--tenant", description = "Tenant id (school/district); empty = default policy.")
  String tenant = "";

  @Option(
      names = "--tiers",
      split = ",",
      paramLabel = "TIER",
      description = "Consult only these tiers (url,content,llm), ungated.")
  List<String> tiers = List.of();

  @Option(names = "--json", description = "Print the response as JSON (protobuf JSON mapping).")
  boolean json;

  @Option(names = "--all", description = "List every category, not only non-zero scores.")
  boolean all;

  @Option(names = "--bypass-cache", description = "Skip the router's verdict cache.")
  boolean bypassCache;

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      description =
          "Router address (default: the port in .sieve/run/router.port, else 127.0.0.1:50051).")
  String target;

  @Option(
      names = "--deadline",
      converter = DurationConverter.class,
      description = "Call deadline (default: 5s).")
  Duration deadline = Duration.ofSeconds(5);

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if ((url == null || url.isEmpty()) && htmlFile == null && text == null) {
      err.println(
          "sieve classify: give a URL, --html FILE or --text TEXT (see ./sieve classify --help)");
      return EXIT_RPC_ERROR;
    }
    if (htmlFile != null && text != null) {
      err.println("sieve classify: use either --html or --text, not both");
      return EXIT_RPC_ERROR;
    }
    ClassifyRequest.Builder request =
        ClassifyRequest.newBuilder()
            .setUrl(url == null ? "" : url)
            .setTenantId(tenant)
            .addAllTiers(tiers.stream().map(String::strip).filter(t -> !t.isEmpty()).toList())
            .setBypassCache(bypassCache);
    if (htmlFile != null) {
      if (!htmlFile.equals("-") && !Files.isReadable(Path.of(htmlFile))) {
        err.println("sieve classify: cannot read --html file " + htmlFile);
        return 1;
      }
      byte[] html =
          htmlFile.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(htmlFile));
      request.setHtml(ByteString.copyFrom(html));
    }
    if (text != null) {
      request.setText(ByteString.copyFromUtf8(text));
    }

    HostPort router = DefaultTargets.resolve(target, FleetService.ROUTER);
    ManagedChannel channel = Channels.open(router);
    try {
      ClassifyResponse response =
          ClassifierGrpc.newBlockingStub(channel)
              .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
              .classify(request.build());
      if (json) {
        out.println(toJson(response));
      } else {
        VerdictTable.render(request.getUrl(), response, all, out);
      }
      out.flush();
      return 0;
    } catch (StatusRuntimeException e) {
      if (GrpcErrors.isUnreachable(e)) {
        err.println("router not running at " + router + ": run ./sieve up");
        err.println("  (" + GrpcErrors.describe(e) + ")");
        return EXIT_UNREACHABLE;
      }
      err.println("sieve classify: " + GrpcErrors.describe(e));
      return EXIT_RPC_ERROR;
    } finally {
      Channels.close(channel);
    }
  }

  /**
   * Jackson re-prints the protobuf JSON: JsonFormat HTML-escapes {@code = < > & '} (as {@code
   * \u003d} ...), which nobody reading a terminal or piping into {@code jq} wants. Numbers keep the
   * digits JsonFormat wrote (exact decimals). A holder class, built on first use: picocli creates
   * every command for any {@code ./sieve ... --help}, and building a mapper there loaded some 370
   * Jackson classes into each help.
   */
  private static final class Json {
    static final ObjectMapper MAPPER =
        JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    static final DefaultPrettyPrinter PRETTY =
        new DefaultPrettyPrinter(
            Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
  }

  static String toJson(ClassifyResponse response) {
    try {
      // Every field, zeros included: a score of 0 is an answer, not a missing one.
      String protoJson = JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(response);
      return Json.MAPPER.writer(Json.PRETTY).writeValueAsString(Json.MAPPER.readTree(protoJson));
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalStateException("cannot print response as JSON", e);
    }
  }
}
