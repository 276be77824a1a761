package dev.sieve.cli.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests the {@code ./sieve} bash script hermetically: a copy of it runs in a temporary "checkout"
 * with fake JDKs (shell scripts answering {@code -version}), a fake {@code mvnw} that records its
 * arguments, and a PATH holding only the few tools the script needs. No Maven, no real JVM.
 */
class SieveScriptTest {

  private static final Path SCRIPT =
      Path.of(System.getProperty("user.dir")).getParent().resolve("sieve");
  private static final List<String> TOOLS =
      List.of(
          "awk",
          "find",
          "readlink",
          "dirname",
          "mktemp",
          "mv",
          "mkdir",
          "rm",
          "touch",
          "cat",
          "sed",
          "tee",
          "grep",
          "head");

  @TempDir Path tmp;
  private Path root;
  private Path jvmDir;
  private Path toolsDir;
  private Path calls;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("checkout"));
    Files.copy(SCRIPT, root.resolve("sieve"));
    jvmDir = Files.createDirectories(tmp.resolve("jvm"));
    toolsDir = Files.createDirectories(tmp.resolve("tools"));
    calls = root.resolve("calls.log");
    for (String tool : TOOLS) {
      Path real =
          Files.exists(Path.of("/usr/bin", tool))
              ? Path.of("/usr/bin", tool)
              : Path.of("/bin", tool);
      Files.createSymbolicLink(toolsDir.resolve(tool), real);
    }
    Files.createDirectories(root.resolve("cli/src/main/java"));
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    executable(
        root.resolve("mvnw"),
        """
        #!/bin/bash
        echo "mvnw $*" >> "%s"
        if [ "$*" = "-B -ntp install -DskipTests -Dspotless.check.skip=true" ]; then
          echo "[INFO] Building Sieve :: core 0.1.0-SNAPSHOT                       [1/2]"
          echo "[INFO] Downloading from central: https://repo.maven.apache.org/..."
          echo "[INFO] Building Sieve :: cli 0.1.0-SNAPSHOT                        [2/2]"
          mkdir -p cli/target/lib && touch cli/target/sieve-cli-0.1.0-SNAPSHOT.jar
        fi
        """
            .formatted(calls));
  }

  private static void executable(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /**
   * A fake JDK whose java reports {@code version} and otherwise prints what it was asked to run.
   */
  private Path fakeJdk(String name, String version) throws IOException {
    Path home = jvmDir.resolve(name);
    executable(
        home.resolve("bin/java"),
        """
        #!/bin/bash
        if [ "$1" = "-version" ]; then echo 'openjdk version "%s" 2025-10-21' >&2; exit 0; fi
        echo "java $*" >> "%s"
        echo "FAKEJAVA $*"
        echo "SIEVE_HOME=$SIEVE_HOME"
        echo "JAVA_HOME=$JAVA_HOME"
        """
            .formatted(version, calls));
    executable(home.resolve("bin/javac"), "#!/bin/bash\n");
    return home;
  }

  private void builtCli() throws IOException {
    Files.createDirectories(root.resolve("cli/target/lib"));
    Files.writeString(root.resolve("cli/target/sieve-cli-0.1.0-SNAPSHOT.jar"), "");
  }

  private record Result(int code, String out, String err) {}

  private Result sieve(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/bin/bash", root.resolve("sieve").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.put("PATH", toolsDir.toString());
    environment.put("SIEVE_JVM_DIR", jvmDir.toString());
    environment.putAll(env);
    builder.redirectOutput(tmp.resolve("out.txt").toFile());
    builder.redirectError(tmp.resolve("err.txt").toFile());
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("script finished").isTrue();
    return new Result(
        process.exitValue(),
        Files.readString(tmp.resolve("out.txt")),
        Files.readString(tmp.resolve("err.txt")));
  }

  private String calls() throws IOException {
    return Files.exists(calls) ? Files.readString(calls) : "";
  }

  @Test
  void withoutAJdk21ItSaysWhatIsMissingAndHowToInstallIt() throws Exception {
    Path old = fakeJdk("openjdk-17", "17.0.15");
    Files.createSymbolicLink(toolsDir.resolve("java"), old.resolve("bin/java"));

    Result result = sieve(Map.of("JAVA_HOME", "/nonexistent/jdk"), "version");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .contains("Sieve needs a JDK 21 or newer, and none was found")
        .contains("JAVA_HOME=/nonexistent/jdk: no bin/java there")
        .contains(jvmDir + ": no JDK >= 21")
        .contains("(on PATH): Java 17")
        .contains("sudo apt-get install openjdk-21-jdk")
        .contains("export JAVA_HOME=");
    assertThat(calls()).as("nothing was run").isEmpty();
  }

  @Test
  void aBogusJavaHomeFallsBackToTheNewestJdkInTheJvmDirectory() throws Exception {
    fakeJdk("openjdk-17", "17.0.15");
    fakeJdk("jdk-21", "21.0.4");
    Path newest = fakeJdk("jdk-25", "25.0.1");
    builtCli();

    Result result =
        sieve(Map.of("JAVA_HOME", "/nonexistent/jdk", "SIEVE_NO_BUILD", "1"), "version", "--flag");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .contains(
            "-cp "
                + root
                + "/cli/target/sieve-cli-0.1.0-SNAPSHOT.jar:"
                + root
                + "/cli/target/lib/*")
        .contains("-Dsieve.home=" + root)
        .contains("dev.sieve.cli.SieveCli version --flag")
        .as("JDK 23+ only flag for a JDK 25")
        .contains("--sun-misc-unsafe-memory-access=allow")
        .contains("SIEVE_HOME=" + root)
        .contains("JAVA_HOME=" + newest.toRealPath());
  }

  @Test
  void aTooOldJavaHomeIsSkippedAndAGoodOneIsUsed() throws Exception {
    Path old = fakeJdk("openjdk-17", "17.0.15");
    Path good = fakeJdk("temurin-25-jdk-amd64", "25");
    builtCli();

    Result fallback = sieve(Map.of("JAVA_HOME", old.toString(), "SIEVE_NO_BUILD", "1"), "version");
    assertThat(fallback.code()).as(fallback.err()).isZero();
    assertThat(fallback.out()).contains("JAVA_HOME=" + good.toRealPath());

    Result explicit =
        sieve(
            Map.of(
                "JAVA_HOME",
                good.toString(),
                "SIEVE_NO_BUILD",
                "1",
                "SIEVE_HOME",
                "/data/elsewhere"),
            "status");
    assertThat(explicit.code()).isZero();
    assertThat(explicit.out()).contains("JAVA_HOME=" + good).contains("SIEVE_HOME=/data/elsewhere");

    Path jdk21 = fakeJdk("jdk-21", "21.0.4");
    Result onJdk21 = sieve(Map.of("JAVA_HOME", jdk21.toString(), "SIEVE_NO_BUILD", "1"), "version");
    assertThat(onJdk21.out())
        .as("a JDK 21 does not know the JDK 23 switch")
        .doesNotContain("--sun-misc-unsafe-memory-access");
  }

  @Test
  void buildsOnFirstUseAndAgainOnlyWhenSourcesChange() throws Exception {
    Path jdk = fakeJdk("jdk-25", "25.0.1");
    Map<String, String> env = Map.of("JAVA_HOME", jdk.toString());

    Result first = sieve(env, "version");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.err())
        .contains("building (cli/target/lib is missing): ./mvnw -B install -DskipTests");
    assertThat(first.err())
        .as("one progress line per module, not Maven's whole output")
        .contains("sieve:   [1/2] Sieve :: core\nsieve:   [2/2] Sieve :: cli")
        .doesNotContain("Downloading");
    assertThat(root.resolve(".sieve/build.log")).content().contains("Downloading from central");
    assertThat(calls())
        .startsWith("mvnw -B -ntp install -DskipTests -Dspotless.check.skip=true\njava ");

    Result second = sieve(env, "version");
    assertThat(second.err()).doesNotContain("building");
    assertThat(calls().lines().filter(l -> l.startsWith("mvnw")).count()).isEqualTo(1);

    Path source = root.resolve("cli/src/main/java/Changed.java");
    Files.writeString(source, "class Changed {}");
    Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(5)));
    Result third = sieve(env, "version");
    assertThat(third.err())
        .contains("building (sources changed since the last build (cli/src/main/java");
    assertThat(calls().lines().filter(l -> l.startsWith("mvnw")).count()).isEqualTo(2);
  }

  @Test
  void helpNeverBuildsNorBuildsTheDataset() throws Exception {
    Path jdk = fakeJdk("jdk-25", "25.0.1");
    builtCli();
    Path source = root.resolve("cli/src/main/java/Changed.java");
    Files.writeString(source, "class Changed {}");
    Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(5)));

    List<List<String>> helpCalls =
        List.of(
            List.of("up", "--help"),
            List.of("data", "card", "-h"),
            List.of("help"),
            List.of("--version"),
            List.<String>of());
    for (List<String> args : helpCalls) {
      Result result = sieve(Map.of("JAVA_HOME", jdk.toString()), args.toArray(String[]::new));
      assertThat(result.code()).as(args + ": " + result.err()).isZero();
      assertThat(result.err())
          .as(args.toString())
          .doesNotContain("building")
          .doesNotContain("dataset");
    }
    assertThat(calls())
        .as("no build, no data build: only the cli printing help")
        .doesNotContain("mvnw")
        .doesNotContain("SieveCli data build")
        .contains("SieveCli up --help");

    Result dataCard =
        sieve(Map.of("JAVA_HOME", jdk.toString()), "data", "card", "--version", "ds-1");
    assertThat(dataCard.code()).as(dataCard.err()).isZero();
    assertThat(dataCard.err())
        .as("a subcommand's own --version option is a real run: the stale build is rebuilt")
        .contains("building (");
    assertThat(calls())
        .contains("mvnw -B -ntp install -DskipTests -Dspotless.check.skip=true")
        .contains("SieveCli data card --version ds-1");
  }

  @Test
  void theCliJvmUsesAnAppCdsArchiveAndHelpStaysOnC1() throws Exception {
    Path jdk = fakeJdk("jdk-25", "25.0.1");
    builtCli();
    Map<String, String> env = Map.of("JAVA_HOME", jdk.toString(), "SIEVE_NO_BUILD", "1");
    String archive = "-XX:SharedArchiveFile=" + root.resolve(".sieve/cds/cli.jsa");

    assertThat(sieve(env, "up", "--help").code()).isZero();
    String help = calls().lines().filter(l -> l.contains("SieveCli up --help")).findFirst().get();
    assertThat(help).contains(archive, "-XX:+AutoCreateSharedArchive", "-XX:TieredStopAtLevel=1");
    assertThat(root.resolve(".sieve/cds")).isDirectory();

    assertThat(sieve(env, "status").code()).isZero();
    String status = calls().lines().filter(l -> l.contains("SieveCli status")).findFirst().get();
    assertThat(status).contains(archive).doesNotContain("TieredStopAtLevel");

    Map<String, String> off = new HashMap<>(env);
    off.put("SIEVE_CDS", "0");
    assertThat(sieve(off, "version").code()).isZero();
    String version = calls().lines().filter(l -> l.contains("SieveCli version")).findFirst().get();
    assertThat(version).doesNotContain("SharedArchiveFile");
  }

  @Test
  void theJdkVersionIsReadFromItsReleaseFileWithoutStartingAJvm() throws Exception {
    Path jdk = jvmDir.resolve("jdk-25");
    executable(
        jdk.resolve("bin/java"),
        """
        #!/bin/bash
        if [ "$1" = "-version" ]; then echo "java -version" >> "%s"; exit 1; fi
        echo "java $*" >> "%s"
        """
            .formatted(calls, calls));
    Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"25.0.1\"\n");
    builtCli();

    Result result = sieve(Map.of("JAVA_HOME", jdk.toString()), "--version");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(calls()).contains("SieveCli --version").doesNotContain("java -version");
  }

  @Test
  void aFailedBuildStopsWithAClearMessage() throws Exception {
    Path jdk = fakeJdk("jdk-25", "25.0.1");
    executable(
        root.resolve("mvnw"), "#!/bin/bash\necho '[ERROR] compilation failure' >&2\nexit 1\n");

    Result result = sieve(Map.of("JAVA_HOME", jdk.toString()), "version");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .contains("[ERROR] compilation failure")
        .contains("sieve: the build failed");
    assertThat(root.resolve(".sieve/build.stamp")).doesNotExist();
  }

  @Test
  void testInstallsHelmPromtoolAndSquidBuildsTheMissingDatasetThenVerifiesLikeCi()
      throws Exception {
    Path jdk = fakeJdk("jdk-25", "25.0.1");
    executable(
        root.resolve("helm/tools/install-helm.sh"),
        "#!/bin/bash\necho \"install-helm\" >> \"%s\"\n".formatted(calls));
    executable(
        root.resolve("helm/tools/install-promtool.sh"),
        "#!/bin/bash\necho \"install-promtool\" >> \"%s\"\n".formatted(calls));
    executable(
        root.resolve("helm/tools/install-squid.sh"),
        "#!/bin/bash\necho \"install-squid\" >> \"%s\"\n".formatted(calls));

    Result result = sieve(new HashMap<>(Map.of("JAVA_HOME", jdk.toString())), "test");

    assertThat(result.code()).as(result.err()).isZero();
    List<String> lines = calls().lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).isEqualTo("install-helm");
    assertThat(lines.get(1)).isEqualTo("install-promtool");
    assertThat(lines.get(2)).isEqualTo("install-squid");
    assertThat(lines.get(3))
        .as("the cli is built before `data build` runs")
        .isEqualTo("mvnw -B -ntp install -DskipTests -Dspotless.check.skip=true");
    assertThat(lines.get(4)).startsWith("java ").endsWith("dev.sieve.cli.SieveCli data build");
    assertThat(lines.get(5)).isEqualTo("mvnw -B verify");
  }

  /** A fresh clone has CURRENT and the manifest committed, but not the generated files. */
  @Test
  void testRebuildsACommittedDatasetVersionWhoseFilesAreMissing() throws Exception {
    Path jdk = fakeJdk("jdk-25", "25.0.1");
    Files.createDirectories(root.resolve("data/datasets/ds-1"));
    Files.writeString(root.resolve("data/datasets/CURRENT"), "ds-1\n");

    Result result = sieve(new HashMap<>(Map.of("JAVA_HOME", jdk.toString())), "test");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(calls()).contains("dev.sieve.cli.SieveCli data build").endsWith("mvnw -B verify\n");
  }

  @Test
  void testSkipsTheDatasetBuildWhenADatasetExists() throws Exception {
    Path jdk = fakeJdk("jdk-25", "25.0.1");
    Files.createDirectories(root.resolve("data/datasets"));
    Files.writeString(root.resolve("data/datasets/CURRENT"), "ds-1\n");
    Files.createDirectories(root.resolve("data/datasets/ds-1"));
    Files.writeString(root.resolve("data/datasets/ds-1/domains.jsonl.gz"), "");

    Result result = sieve(Map.of("JAVA_HOME", jdk.toString()), "test", "-pl", "cli");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(calls()).isEqualTo("mvnw -B verify -pl cli\n");
  }
}
