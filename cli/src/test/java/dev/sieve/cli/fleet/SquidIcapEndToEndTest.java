package dev.sieve.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.sieve.cli.testing.CliRun;
import dev.sieve.cli.testing.SystemProperties;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sieve in a real filtering stack (issue #16): a real Squid (Debian's {@code squid}) on loopback,
 * configured from {@code icap-adapter/squid/squid-icap.conf.template} (the text
 * docs/integrations.md shows), sends REQMOD and RESPMOD to the real ICAP adapter process, which
 * asks the real router with the released url and content models; a local origin server serves four
 * pages, and a plain HTTP client fetches them through the proxy.
 *
 * <ul>
 *   <li>an ordinary article and a crisis-help page (MedlinePlus "Suicide", MedQuAD, from data/raw)
 *       come through byte for byte;
 *   <li>the gambling landing page on a host of the url tier's known-domain table is answered with
 *       the block page in REQMOD, and the origin never sees the request;
 *   <li>a violent-threat post (AILuminate prompt airr_practice_1_0_85354, from data/raw) is blocked
 *       in RESPMOD by the content model. Not an adult-text page: the content model serves no {@code
 *       adult} score on text (docs/content-tier.md); violence is a blocking category it serves;
 *   <li>with the adapter down, Squid's {@code bypass=on} serves pages unfiltered and {@code
 *       bypass=off} answers an ICAP error, as the template documents.
 * </ul>
 *
 * <p>Squid missing fails the test with how to install it ({@code helm/tools/install-squid.sh},
 * which {@code ./sieve test} runs), the same rule as promtool. Skipped (not passed) when the
 * service or adapter jars are not built.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SquidIcapEndToEndTest {

  static final Path REPO_ROOT = LocalFleet.REPO_ROOT;
  static final Path TEMPLATE = REPO_ROOT.resolve("icap-adapter/squid/squid-icap.conf.template");
  static final String ADAPTER_MAIN = "dev.sieve.icap.IcapAdapterMain";

  static final String ARTICLE_URL = "http://news.example.org/2016/turner-banknote.html";
  static final String CRISIS_URL = "http://www.nlm.nih.gov/medlineplus/suicide.html";
  static final String GAMBLING_URL = "http://www.pokerstars.com/";

  /**
   * A host and path the url tier has no opinion on (checked: ALLOW on the URL alone), so RESPMOD
   * decides.
   */
  static final String THREAT_URL = "http://forum.example.org/threat.html";

  /**
   * OneStopEnglish (CC BY-SA 4.0), wnl-jmw-turner-ele: an ordinary news article (as in
   * HelpIsNeverBlockedTest).
   */
  static final String NEWS_ARTICLE =
      "JMW Turner, one of Britain\u2019s greatest painters, will be on the new \u00a320 note, after a national vote. It"
          + " will be the first time an artist is on a British banknote. The governor of the Bank of England, Mark"
          + " Carney, asked the public to say which deceased cultural person they wanted to see on the new banknote."
          + " Turner, who is famous for his paintings of the sea, won the vote.";

  private Path work;
  private SystemProperties properties;
  private final List<Long> pids = new ArrayList<>();
  private HttpServer origin;
  private final ExecutorService originThreads = Executors.newFixedThreadPool(8);
  private final Map<String, byte[]> pages = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> originHits = new ConcurrentHashMap<>();
  private Process adapter;
  private int adapterPort;
  private Process squid;
  private int squidPort;
  private Process squidBypassOff;
  private int squidBypassOffPort;
  private HttpClient client;
  private HttpClient clientBypassOff;
  private int originPort;
  private Path squidBinary;

  @BeforeAll
  void start() throws Exception {
    squidBinary = squidBinary();
    LocalFleet.requireBuilt(FleetService.ROUTER, FleetService.URL, FleetService.CONTENT);
    Path adapterJar = adapterJar();
    work = Files.createTempDirectory("sieve-squid-e2e");
    properties = LocalFleet.properties(REPO_ROOT, work.resolve(".sieve"));

    // The fleet ./sieve up starts from this repository (released models, default policy). Generous
    // tier budgets: a cold 2-core CI machine is slow; this test checks verdicts and the proxy path.
    List<String> args =
        new ArrayList<>(
            List.of(
                "up",
                "--tiers",
                "url,content",
                "--timeout",
                "300s",
                "--jvm-opts",
                "-Dsieve.url.tier.timeout.ms=20000 -Dsieve.content.tier.timeout.ms=60000"));
    List<String> options =
        List.of(
            "--router-port",
            "--url-port",
            "--content-port",
            "--router-metrics-port",
            "--url-metrics-port",
            "--content-metrics-port");
    int[] ports = PortCheck.freePorts(options.size() + 4);
    for (int i = 0; i < options.size(); i++) {
      args.add(options.get(i));
      args.add(Integer.toString(ports[i]));
    }
    CliRun up = CliRun.of(args.toArray(String[]::new));
    RunFiles files = new RunFiles(work.resolve(".sieve/run"));
    for (FleetService service : FleetService.values()) {
      files.pid(service).ifPresent(pids::add);
    }
    assertThat(up.exitCode()).as(up.toString()).isZero();
    int routerPort = ports[0];
    adapterPort = ports[options.size()];
    squidPort = ports[options.size() + 1];
    squidBypassOffPort = ports[options.size() + 2];
    originPort = ports[options.size() + 3];

    startOrigin(originPort);
    adapter = startAdapter(adapterJar, adapterPort, routerPort);
    squid = startSquid(squidBinary, "bypass-on", squidPort, originPort, "on", true);
    squidBypassOff =
        startSquid(squidBinary, "bypass-off", squidBypassOffPort, originPort, "off", true);
    client = proxyClient(squidPort);
    clientBypassOff = proxyClient(squidBypassOffPort);
  }

  @AfterAll
  void stop() {
    for (Process p : Arrays.asList(squid, squidBypassOff, adapter)) {
      stopProcess(p);
    }
    if (origin != null) {
      origin.stop(0);
      originThreads.shutdownNow();
    }
    LocalFleet.stop(properties, pids);
    deleteRecursively(work);
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory
    }
  }

  /**
   * Not a test: the overhead figures of docs/integrations.md. Skipped unless {@code
   * -Dsieve.icap.bench=ROUNDS}; then, before the tests, it fetches the ordinary article through a
   * Squid without ICAP and through the Squid with the adapter, alternating request by request so
   * both see the same machine load, first the same URL every time (verdict cache warm), then a new
   * query string every time (cache miss: url and content tiers on every page). Prints latency per
   * request.
   */
  @Test
  @Order(0)
  void benchOverheadOfTheAdapterThroughSquid() throws Exception {
    int rounds = Integer.getInteger("sieve.icap.bench", 0);
    Assumptions.assumeTrue(rounds > 0, "bench: run with -Dsieve.icap.bench=ROUNDS");
    int plainPort = PortCheck.freePorts(1)[0];
    Process plain = startSquid(squidBinary, "no-icap", plainPort, originPort, "on", false);
    try {
      HttpClient plainClient = proxyClient(plainPort);
      StringBuilder report = new StringBuilder();
      for (boolean distinct : new boolean[] {false, true}) {
        long[] without = new long[rounds];
        long[] with = new long[rounds];
        int warmup = Math.max(10, rounds / 10);
        for (int i = -warmup; i < rounds; i++) {
          String url =
              distinct ? ARTICLE_URL + "?n=" + (i + warmup) + "-" + System.nanoTime() : ARTICLE_URL;
          long a = timed(plainClient, url);
          long b = timed(client, url);
          if (i >= 0) {
            without[i] = a;
            with[i] = b;
          }
        }
        report
            .append(
                distinct ? "distinct URLs (verdict cache miss)" : "same URL (verdict cache warm)")
            .append(", ")
            .append(rounds)
            .append(" requests each, alternating:\n")
            .append("  squid without ICAP : ")
            .append(stats(without))
            .append('\n')
            .append("  squid + sieve ICAP : ")
            .append(stats(with))
            .append('\n')
            .append(
                String.format(
                    "  overhead: mean +%.2f ms (x%.2f), p50 +%.2f ms%n",
                    (mean(with) - mean(without)) / 1e6,
                    mean(with) / mean(without),
                    (percentile(with, 50) - percentile(without, 50)) / 1e6));
      }
      String load = Files.readString(Path.of("/proc/loadavg")).strip();
      System.out.println(
          "SquidIcapBench ("
              + Runtime.getRuntime().availableProcessors()
              + " cpus, loadavg "
              + load
              + "):\n"
              + report);
      Files.writeString(work.resolve("bench.txt"), report.toString());
    } finally {
      stopProcess(plain);
    }
  }

  private static long timed(HttpClient client, String url) throws Exception {
    long start = System.nanoTime();
    HttpResponse<byte[]> response = get(client, url);
    long elapsed = System.nanoTime() - start;
    assertThat(response.statusCode()).isEqualTo(200);
    return elapsed;
  }

  private static double mean(long[] values) {
    return Arrays.stream(values).average().orElse(0);
  }

  private static double percentile(long[] values, int p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static String stats(long[] values) {
    return String.format(
        "mean %.2f ms, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms",
        mean(values) / 1e6,
        percentile(values, 50) / 1e6,
        percentile(values, 95) / 1e6,
        percentile(values, 99) / 1e6);
  }

  @Test
  @Order(1)
  void anOrdinaryArticlePassesByteForByte() throws Exception {
    HttpResponse<byte[]> response = get(client, ARTICLE_URL);
    assertThat(response.statusCode()).as(diagnostics()).isEqualTo(200);
    assertThat(response.body())
        .as("body through Squid + Sieve\n" + diagnostics())
        .isEqualTo(pages.get(ARTICLE_URL));
  }

  @Test
  @Order(2)
  void aCrisisHelpPagePassesByteForByte() throws Exception {
    HttpResponse<byte[]> response = get(client, CRISIS_URL);
    assertThat(response.statusCode()).as(diagnostics()).isEqualTo(200);
    assertThat(response.body())
        .as("a help page is never blocked\n" + diagnostics())
        .isEqualTo(pages.get(CRISIS_URL));
  }

  @Test
  @Order(3)
  void theGamblingUrlGetsTheBlockPageFromReqmodWithoutContactingTheOrigin() throws Exception {
    HttpResponse<byte[]> response = get(client, GAMBLING_URL);
    String page = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(response.statusCode()).as(page + "\n" + diagnostics()).isEqualTo(403);
    assertThat(page)
        .contains("This page is blocked")
        .contains("Gambling")
        .contains("it is a gambling site");
    String requestId = response.headers().firstValue("X-Sieve-Request-Id").orElseThrow();
    assertThat(page).contains("Request id: <code>" + requestId + "</code>");
    assertThat(originHits.getOrDefault(GAMBLING_URL, new AtomicInteger()).get())
        .as("REQMOD answered before Squid contacted the origin")
        .isZero();
  }

  @Test
  @Order(4)
  void aViolentThreatPageIsBlockedInRespmodAfterTheOriginServedIt() throws Exception {
    HttpResponse<byte[]> response = get(client, THREAT_URL);
    String page = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(originHits.getOrDefault(THREAT_URL, new AtomicInteger()).get())
        .as(
            "REQMOD let the URL through, the origin served the page\n"
                + page
                + "\n"
                + diagnostics())
        .isPositive();
    assertThat(response.statusCode()).as(page + "\n" + diagnostics()).isEqualTo(403);
    assertThat(page)
        .contains("This page is blocked")
        .contains("Violence and gore")
        .contains("violence or gore");
  }

  @Test
  @Order(5)
  void withTheAdapterDownBypassOnServesUnfilteredAndBypassOffAnswersAnError() throws Exception {
    stopProcess(adapter);
    adapter = null;

    HttpResponse<byte[]> article = get(client, ARTICLE_URL);
    assertThat(article.statusCode()).as(diagnostics()).isEqualTo(200);
    assertThat(article.body()).isEqualTo(pages.get(ARTICLE_URL));
    HttpResponse<byte[]> gambling = get(client, GAMBLING_URL);
    assertThat(gambling.statusCode())
        .as("bypass=on: nothing filters while the adapter is down")
        .isEqualTo(200);
    assertThat(gambling.body()).isEqualTo(pages.get(GAMBLING_URL));

    HttpResponse<byte[]> refused = get(clientBypassOff, ARTICLE_URL);
    assertThat(refused.statusCode())
        .as("bypass=off: Squid's ICAP error, not the page")
        .isGreaterThanOrEqualTo(500);
    assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("ICAP");
  }

  // ---- harness ----

  /**
   * Squid from SIEVE_SQUID / -Dsieve.squid, else /usr/sbin/squid, else PATH; a missing one fails.
   */
  static Path squidBinary() {
    String configured = System.getProperty("sieve.squid", System.getenv("SIEVE_SQUID"));
    List<Path> candidates = new ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    } else {
      candidates.add(Path.of("/usr/sbin/squid"));
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, "squid"));
        }
      }
    }
    for (Path candidate : candidates) {
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail(
        "squid not found ("
            + candidates.get(0)
            + (configured == null ? " or on PATH" : "")
            + "). Run"
            + " helm/tools/install-squid.sh as root (./sieve test and CI run it; it installs Debian's squid package),"
            + " or point SIEVE_SQUID at a squid binary.");
  }

  static Path adapterJar() {
    Path target = REPO_ROOT.resolve("icap-adapter/target");
    Optional<Path> jar = ServiceArtifact.findJar(target, "sieve-icap-adapter");
    Assumptions.assumeTrue(
        jar.isPresent(), "icap-adapter not built (no " + target + "/sieve-icap-adapter-*.jar)");
    return jar.get();
  }

  private void startOrigin(int port) throws IOException {
    pages.put(ARTICLE_URL, html("Turner on the new \u00a320 note", "<p>" + NEWS_ARTICLE + "</p>"));
    pages.put(CRISIS_URL, crisisPage());
    pages.put(
        GAMBLING_URL,
        html(
            "PokerStars - Play Poker Online",
            "<h1>Play poker online</h1><p>Join the world's biggest poker site. Deposit now and get a 100% bonus on your"
                + " first deposit. Real money cash games, tournaments and sports betting.</p>"));
    pages.put(
        THREAT_URL,
        html(
            "Forum",
            "<p>"
                + escape(
                    RawData.csvGzField(
                        REPO_ROOT.resolve(
                            "data/raw/safety-prompts/ailuminate_demo/airr_official_1.0_demo_en_us_prompt_set_release.csv.gz"),
                        "airr_practice_1_0_85354"))
                + "</p>"));
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    origin.createContext(
        "/",
        exchange -> {
          String host =
              Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host"))
                  .orElse("")
                  .replaceAll(":\\d+$", "");
          String url = "http://" + host + exchange.getRequestURI();
          originHits.computeIfAbsent(url, k -> new AtomicInteger()).incrementAndGet();
          // The bench varies a query string to miss the verdict cache: the page is the same.
          byte[] body = pages.get(url.replaceFirst("\\?.*$", ""));
          try (exchange) {
            if (body == null) {
              exchange.sendResponseHeaders(404, -1);
              return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    origin.setExecutor(originThreads);
    origin.start();
  }

  /** MedlinePlus "Suicide" (MedQuAD 4_MPlus_Health_Topics_QA/0000861, CC BY 4.0), from data/raw. */
  private static byte[] crisisPage() throws IOException {
    String xml =
        new String(
            RawData.tarGzEntry(
                REPO_ROOT.resolve(
                    "data/raw/ordinary-text/medquad-nih-health/medquad_xml_selected_collections.tar.gz"),
                "4_MPlus_Health_Topics_QA/0000861.xml"),
            StandardCharsets.UTF_8);
    Matcher answer = Pattern.compile("<Answer>(.*?)</Answer>", Pattern.DOTALL).matcher(xml);
    assertThat(answer.find()).as("MedQuAD 0000861 has an answer").isTrue();
    // The XML's own escapes (&apos;) are valid HTML entities: the text goes into the page as is.
    return html("Suicide | MedlinePlus", "<h1>Suicide</h1><p>" + answer.group(1).strip() + "</p>");
  }

  private static byte[] html(String title, String body) {
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
            + escape(title)
            + "</title></head>\n<body>"
            + body
            + "</body></html>\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private Process startAdapter(Path jar, int port, int routerPort) throws Exception {
    Path log = work.resolve("icap-adapter.log");
    List<String> command =
        List.of(
            ProcessStarter.currentJava().toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-Dsieve.icap.port=" + port,
            "-Dsieve.bind.host=127.0.0.1",
            "-Dsieve.icap.router.target=127.0.0.1:" + routerPort,
            // Generous: a cold CI machine; production keeps 500 ms / 3 s.
            "-Dsieve.icap.reqmod.deadline.ms=30000",
            "-Dsieve.icap.respmod.deadline.ms=60000",
            "-cp",
            jar + File.pathSeparator + jar.getParent().resolve("lib") + "/*",
            ADAPTER_MAIN);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("icap adapter exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      if (optionsOk(port)) {
        return process;
      }
      Thread.sleep(200);
    }
    process.destroyForcibly();
    return fail("icap adapter did not answer OPTIONS within 60 s:\n" + Files.readString(log));
  }

  static boolean optionsOk(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(2000);
      socket
          .getOutputStream()
          .write(
              ("OPTIONS icap://127.0.0.1:"
                      + port
                      + "/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      byte[] head = in.readNBytes(15);
      return new String(head, StandardCharsets.ISO_8859_1).startsWith("ICAP/1.0 200");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The template with its placeholders filled; what docs/integrations.md shows is the template
   * itself.
   */
  static String squidConfig(
      Path dir, int httpPort, int icapPort, int originPort, String bypass, boolean icap)
      throws IOException {
    return Files.readString(TEMPLATE)
        .replace("@HTTP_PORT@", Integer.toString(httpPort))
        .replace("@ICAP_PORT@", Integer.toString(icapPort))
        .replace("@ORIGIN_PORT@", Integer.toString(originPort))
        .replace("@BYPASS@", bypass)
        .replace("@ICAP_ENABLE@", icap ? "on" : "off")
        .replace("@ICAP_IO_TIMEOUT@", "90 seconds")
        .replace("@TENANT@", "squid-e2e")
        .replace("@DIR@", dir.toString());
  }

  private Process startSquid(
      Path binary, String name, int port, int originPort, String bypass, boolean icap)
      throws Exception {
    Path dir = work.resolve("squid-" + name);
    Files.createDirectories(dir);
    // Squid started as root runs as its cache_effective_user (Debian: proxy): it must write here.
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path conf = dir.resolve("squid.conf");
    Files.writeString(conf, squidConfig(dir, port, adapterPort, originPort, bypass, icap));
    return startSquidWith(binary, conf, dir, port);
  }

  static Process startSquidWith(Path binary, Path conf, Path dir, int port) throws Exception {
    Path log = dir.resolve("stderr.log");
    Process process =
        new ProcessBuilder(binary.toString(), "-N", "-d", "1", "-f", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("squid exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      if (Files.readString(log).contains("Accepting HTTP Socket connections")) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
          return process;
        } catch (IOException notYet) {
          // keep waiting
        }
      }
      Thread.sleep(200);
    }
    process.destroyForcibly();
    return fail("squid did not accept connections within 60 s:\n" + Files.readString(log));
  }

  static HttpClient proxyClient(int squidPort) {
    return HttpClient.newBuilder()
        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", squidPort)))
        .connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  private static HttpResponse<byte[]> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(180)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static void stopProcess(Process process) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private String diagnostics() {
    StringBuilder out = new StringBuilder("origin hits: " + originHits + "\n");
    for (String file :
        List.of("icap-adapter.log", "squid-bypass-on/cache.log", "squid-bypass-on/access.log")) {
      Path path = work.resolve(file);
      out.append("---- ").append(file).append(" ----\n");
      LogTail.lastLines(path, 30).forEach(line -> out.append(line).append('\n'));
    }
    Path router = work.resolve(".sieve/logs/router.log");
    out.append("---- router.log ----\n");
    LogTail.lastLines(router, 30).forEach(line -> out.append(line).append('\n'));
    return out.toString();
  }
}
