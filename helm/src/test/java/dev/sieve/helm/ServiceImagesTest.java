package dev.sieve.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator's image recipe, checked as far as a machine without a Docker engine can:
 *
 * <ul>
 *   <li>the recipe in {@code docs/operations.md} (and the Dockerfile's header) has every step,
 *       {@code ./sieve data build} included;
 *   <li>after those steps (the build and {@code ./sieve test} have run them) every {@code COPY}
 *       source exists, is in the build context, and the dataset the url-service loads is there;
 *   <li>each service's jar starts with the image's command line ({@code java -jar /app/app.jar},
 *       the image's environment, an {@code /app} assembled from the {@code COPY}s) and reaches
 *       SERVING;
 *   <li>every service's real {@code /metrics} output passes {@code promtool check metrics} (HELP on
 *       every metric, naming rules), with the labels operators query by.
 * </ul>
 *
 * <p>promtool comes from Debian's {@code prometheus} package via {@code
 * helm/tools/install-promtool.sh} ({@code ./sieve test} runs it); without it this test fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceImagesTest {

  private static final List<String> SERVICES =
      List.of("url-service", "content-service", "llm-fallback-service", "router");
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  private final Path repo = Helm.repoRoot();
  private DockerfileModel dockerfile;
  private String version;
  private final Map<String, ImageProcess> running = new LinkedHashMap<>();

  @BeforeAll
  void startEveryServiceAsItsImageWould() throws Exception {
    dockerfile = DockerfileModel.read(repo);
    version = dockerfile.argDefault("VERSION");
    for (String service : SERVICES) {
      Path jar = repo.resolve(service + "/target/sieve-" + service + "-" + version + ".jar");
      if (!Files.isRegularFile(jar)) {
        fail(
            jar
                + " is missing: build first (./mvnw -B install -DskipTests, as docs/operations.md says)");
      }
    }
    Path work = Files.createDirectories(repo.resolve("helm/target/image-test"));
    deleteRecursively(work);
    Map<String, String> routerTargets = new LinkedHashMap<>();
    for (String service : SERVICES) {
      if (service.equals("router")) {
        // started once the tiers serve (below)
        continue;
      }
      ImageProcess process = ImageProcess.start(dockerfile, repo, service, version, work, Map.of());
      running.put(service, process);
      String tier =
          switch (service) {
            case "url-service" -> "URL";
            case "content-service" -> "CONTENT";
            case "llm-fallback-service" -> "LLM";
            default -> throw new AssertionError("not a tier: " + service);
          };
      routerTargets.put("SIEVE_" + tier + "_TIER_TARGET", process.target());
      // Production budgets assume warm JVMs on their own cores; this checks answers, not speed.
      routerTargets.put("SIEVE_" + tier + "_TIER_TIMEOUT_MS", "30000");
    }
    // The tiers first, then the router, as readiness gates order a deployment: a router that
    // dialled a tier still loading would sit in reconnect back-off for a while.
    for (ImageProcess process : running.values()) {
      process.awaitServing(START_TIMEOUT);
    }
    ImageProcess router =
        ImageProcess.start(dockerfile, repo, "router", version, work, routerTargets);
    running.put("router", router);
    router.awaitServing(START_TIMEOUT);
  }

  @AfterAll
  void stopEverything() throws InterruptedException {
    for (ImageProcess process : running.values()) {
      process.close();
    }
  }

  @Test
  void theDocumentedRecipeBuildsTheJarsAndTheDatasetBeforeTheImages() throws IOException {
    for (List<String> recipe : List.of(operationsRecipe(), dockerfileHeaderRecipe())) {
      int build = indexOf(recipe, "./mvnw ");
      int data = indexOf(recipe, "./sieve data build");
      int docker = indexOf(recipe, "docker build ");
      assertThat(build).as("a ./mvnw build step in %s", recipe).isNotNegative();
      assertThat(recipe.get(build))
          .as("the build step builds every service and its lib/")
          .contains("install")
          .doesNotContain("-pl ");
      assertThat(data).as("./sieve data build in %s", recipe).isGreaterThan(build);
      assertThat(docker).as("docker build after the data in %s", recipe).isGreaterThan(data);
      assertThat(recipe.get(docker))
          .contains("-f docker/Dockerfile")
          .contains("--build-arg SERVICE=");
    }
    // Every gRPC service's image, the ICAP adapter's and the annotation app's (not started here).
    List<String> images = new ArrayList<>(SERVICES);
    images.add("icap-adapter");
    images.add("annotate");
    assertThat(imagesBuilt(operationsRecipe()))
        .as("docs/operations.md builds every service's image")
        .containsExactlyInAnyOrderElementsOf(images);
  }

  /** The SERVICE values the recipe's docker build lines use (a for loop over them counts). */
  private static List<String> imagesBuilt(List<String> recipe) {
    List<String> built = new ArrayList<>();
    Pattern arg = Pattern.compile("--build-arg SERVICE=(\\S+)");
    for (String command : recipe) {
      Matcher m = arg.matcher(command);
      if (!command.startsWith("docker build") || !m.find()) {
        continue;
      }
      String value = m.group(1).replace("\"", "");
      Matcher variable = Pattern.compile("^\\$\\{?(\\w+)}?$").matcher(value);
      if (!variable.matches()) {
        built.add(value);
        continue;
      }
      String loop = "for " + variable.group(1) + " in ";
      recipe.stream()
          .filter(c -> c.startsWith(loop))
          .findFirst()
          .ifPresent(c -> built.addAll(List.of(c.substring(loop.length()).strip().split(" "))));
    }
    return built;
  }

  @Test
  void everyCopySourceExistsInTheBuildContextAfterTheDocumentedSteps() throws IOException {
    assertThat(dockerfile.copies()).isNotEmpty();
    for (String service : SERVICES) {
      for (DockerfileModel.Copy copy : dockerfile.copies()) {
        String source = copy.source().replace("${SERVICE}", service).replace("${VERSION}", version);
        Path path = repo.resolve(source);
        assertThat(source.endsWith("/") ? Files.isDirectory(path) : Files.isRegularFile(path))
            .as("COPY source %s exists for SERVICE=%s", source, service)
            .isTrue();
        assertThat(dockerfile.inBuildContext(source))
            .as("%s is in the build context (.dockerignore)", source)
            .isTrue();
      }
    }
    // data/datasets/ exists in any clone; what the url-service needs is the generated files of the
    // current version, which only ./sieve data build produces.
    DatasetVersion current = DatasetVersion.current(repo.resolve("data/datasets"));
    for (String file :
        List.of(DatasetVersion.DOMAINS, DatasetVersion.BACKGROUND, DatasetVersion.TEXTS)) {
      assertThat(current.dir().resolve(file)).as("generated by ./sieve data build").isRegularFile();
      assertThat(dockerfile.inBuildContext("data/datasets/" + current.id() + "/" + file)).isTrue();
    }
  }

  @Test
  void everyServiceJarStartsWithTheImagesCommandLineAndServes() throws Exception {
    assertThat(dockerfile.entrypoint())
        .containsExactly("java", "-jar", dockerfile.workdir() + "/app.jar");
    ImageProcess router = running.get("router");
    ManagedChannel channel = router.channel();
    try {
      ClassifyResponse response =
          ClassifierGrpc.newBlockingStub(channel)
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .classify(
                  ClassifyRequest.newBuilder()
                      .setUrl("https://www.khanacademy.org/math")
                      .setText(
                          ByteString.copyFromUtf8(
                              "Lesson: adding fractions with unlike denominators."))
                      .addAllTiers(List.of("url", "content", "llm")) // every tier, ungated
                      .setBypassCache(true)
                      .build());
      assertThat(response.getTiersList())
          .as("every tier answered the router: %s", response.getTiersList())
          .filteredOn(t -> t.getState() == TierState.TIER_STATE_OK)
          .extracting(TierStatus::getTier)
          .containsExactlyInAnyOrder("url", "content", "llm");
      assertThat(response.getCategoriesList()).isNotEmpty();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void everyServicesMetricsPassPromtool() throws Exception {
    Path promtool = promtool();
    Map<String, String> expositions = new LinkedHashMap<>();
    // A Classify through the router first, so the per-RPC metrics exist on every service.
    everyServiceJarStartsWithTheImagesCommandLineAndServes();
    for (ImageProcess process : running.values()) {
      expositions.put(process.service, process.scrapeMetrics());
    }
    List<String> problems = new ArrayList<>();
    for (var e : expositions.entrySet()) {
      Process check =
          new ProcessBuilder(promtool.toString(), "check", "metrics")
              .redirectErrorStream(true)
              .start();
      check.getOutputStream().write(e.getValue().getBytes(StandardCharsets.UTF_8));
      check.getOutputStream().close();
      String output =
          new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!check.waitFor(60, TimeUnit.SECONDS)) {
        check.destroyForcibly();
        problems.add(e.getKey() + ": promtool did not finish");
      } else if (check.exitValue() != 0 || !output.isEmpty()) {
        problems.add(e.getKey() + " (exit " + check.exitValue() + "):\n" + output);
      }
    }
    assertThat(problems).as("promtool check metrics").isEmpty();

    for (var e : expositions.entrySet()) {
      assertThat(e.getValue())
          .as(e.getKey())
          .contains("application=\"" + e.getKey() + "\"")
          .doesNotContain("service=\"" + e.getKey() + "\"")
          .contains("jvm_gc_", "process_cpu_usage{", "process_uptime_seconds{");
    }
    assertThat(expositions.get("router"))
        .containsPattern(
            "sieve_grpc_server_seconds_count\\{[^}]*grpc_method=\"Classify\",grpc_service=\"sieve.v1.Classifier\"")
        .containsPattern("sieve_router_breaker_state\\{[^}]*state=\"closed\",tier=\"url\"} 1")
        .containsPattern("sieve_router_breaker_state\\{[^}]*state=\"open\",tier=\"url\"} 0");
    assertThat(expositions.get("url-service"))
        .containsPattern(
            "sieve_grpc_server_seconds_count\\{[^}]*grpc_method=\"Score\",grpc_service=\"sieve.v1.Scorer\"");

    // What the chart's dashboard and alert rules query exists (MonitoringRulesTest checks they
    // query nothing else).
    String all = String.join("\n", expositions.values());
    for (String name : ExportedMetrics.NAMES) {
      if (!ExportedMetrics.LAZY.contains(name)) {
        assertThat(all).as("a service exports %s", name).containsPattern("(?m)^" + name + "[{ ]");
      }
    }
  }

  /** promtool from SIEVE_PROMTOOL / -Dsieve.promtool, else where install-promtool.sh puts it. */
  private Path promtool() {
    String configured = System.getProperty("sieve.promtool", System.getenv("SIEVE_PROMTOOL"));
    Path path =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : repo.resolve(".tools/prometheus/bin/promtool");
    if (!Files.isExecutable(path)) {
      fail(
          "promtool not found at "
              + path
              + ". Run helm/tools/install-promtool.sh from the repository root"
              + " (./sieve test and CI run it), or point SIEVE_PROMTOOL at a promtool binary.");
    }
    return path;
  }

  /** The shell lines of the operations guide's fenced block that builds the images. */
  private List<String> operationsRecipe() throws IOException {
    String doc = Files.readString(repo.resolve("docs/operations.md"));
    Matcher block = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    while (block.find()) {
      if (block.group(1).contains("docker build")) {
        return commands(block.group(1).lines().toList());
      }
    }
    throw new AssertionError("docs/operations.md has no ```sh block with docker build");
  }

  /** The recipe in the Dockerfile's header comment. */
  private List<String> dockerfileHeaderRecipe() throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(repo.resolve("docker/Dockerfile"))) {
      if (!line.startsWith("#")) {
        break;
      }
      String text = line.replaceFirst("^#\\s?", "");
      if (text.startsWith("  ")) {
        lines.add(text);
      }
    }
    return commands(lines);
  }

  /** Joins continuation lines, drops comments, splits {@code a && b}; one command per entry. */
  private static List<String> commands(List<String> lines) {
    List<String> commands = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : lines) {
      String line = raw.replaceAll("\\s+#.*$", "").strip();
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      for (String part : current.toString().split("&&|;")) {
        if (!part.isBlank()) {
          commands.add(part.replaceAll("\\s+", " ").strip());
        }
      }
      current.setLength(0);
    }
    return commands;
  }

  private static int indexOf(List<String> commands, String prefix) {
    for (int i = 0; i < commands.size(); i++) {
      if (commands.get(i).startsWith(prefix) || commands.get(i).contains(" " + prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.delete(p);
        }
      }
    }
  }
}
