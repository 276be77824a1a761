package dev.sieve.helm;

import static dev.sieve.helm.Manifests.container;
import static dev.sieve.helm.Manifests.envValue;
import static dev.sieve.helm.Manifests.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine is available to build docker/Dockerfile here, so at least its contract with the
 * chart is checked: the image's user is the chart's runAsUser (runAsNonRoot needs a numeric
 * non-root USER), the DJL cache directory matches, and the JVM is PID 1 (exec-form ENTRYPOINT) so
 * that SIGTERM starts the graceful drain.
 */
class DockerfileConsistencyTest {

  private final List<String> lines = readDockerfile();

  @Test
  void imageUserIsTheChartsNumericNonRootUser() {
    Matcher user = single("^USER\\s+(\\d+)(?::(\\d+))?\\s*$");
    int chartUser =
        podSpec(Renders.defaults().get("Deployment", "sieve-router"))
            .path("securityContext")
            .path("runAsUser")
            .asInt();

    assertThat(Integer.parseInt(user.group(1))).isEqualTo(chartUser).isNotZero();
    assertThat(Integer.parseInt(user.group(2))).isNotZero();
  }

  @Test
  void djlCacheDirectoryMatchesTheChart() {
    String image = String.join("\n", lines);
    JsonNode content = container(Renders.defaults().get("Deployment", "sieve-content-service"));

    assertThat(image).contains("DJL_CACHE_DIR=" + envValue(content, "DJL_CACHE_DIR"));
    assertThat(image).contains("-Djava.io.tmpdir=/tmp");
  }

  @Test
  void entrypointIsExecFormJava() {
    Matcher entrypoint = single("^ENTRYPOINT\\s+(\\[.*])\\s*$");

    assertThat(entrypoint.group(1)).startsWith("[\"java\"");
  }

  @Test
  void baseImageIsTheJava21Runtime() {
    assertThat(single("^ARG\\s+JAVA_IMAGE=(\\S+)\\s*$").group(1))
        .isEqualTo("eclipse-temurin:21-jre");
  }

  /**
   * {@code java -jar app.jar} needs a Main-Class in each service jar's manifest: the parent pom's
   * jar plugin writes {@code sieve.main.class}, which every service the Dockerfile accepts must set
   * to a main class that exists in its sources.
   */
  @Test
  void everyServiceTheImageAcceptsNamesAnExistingMainClass() throws IOException {
    String services =
        single(
                "^\\s*router\\|url-service\\|content-service\\|llm-fallback-service\\|icap-adapter\\|annotate\\).*$")
            .group();
    assertThat(services).isNotEmpty();
    Pattern mainClass = Pattern.compile("<sieve\\.main\\.class>([\\w.]+)</sieve\\.main\\.class>");
    for (String service :
        List.of(
            "router",
            "url-service",
            "content-service",
            "llm-fallback-service",
            "icap-adapter",
            "annotate")) {
      String pom = Files.readString(Helm.repoRoot().resolve(service).resolve("pom.xml"));
      Matcher m = mainClass.matcher(pom);
      assertThat(m.find()).as(service + "/pom.xml sets sieve.main.class").isTrue();
      Path source =
          Helm.repoRoot()
              .resolve(service)
              .resolve("src/main/java")
              .resolve(m.group(1).replace('.', '/') + ".java");
      assertThat(source).as(service + " main class source").isRegularFile();
      assertThat(Files.readString(source)).contains("public static void main(String[] args)");
    }
  }

  private Matcher single(String regex) {
    Pattern pattern = Pattern.compile(regex);
    List<Matcher> matches = lines.stream().map(pattern::matcher).filter(Matcher::matches).toList();
    assertThat(matches).as("exactly one Dockerfile line matching %s", regex).hasSize(1);
    return matches.get(0);
  }

  private static List<String> readDockerfile() {
    try {
      return Files.readAllLines(Helm.repoRoot().resolve("docker/Dockerfile"));
    } catch (IOException e) {
      throw new AssertionError("docker/Dockerfile is missing", e);
    }
  }
}
