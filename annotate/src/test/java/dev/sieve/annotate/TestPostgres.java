package dev.sieve.annotate;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests, from Debian's {@code postgresql} package: {@code initdb}
 * into a temporary directory, started on a free loopback port with {@code pg_ctl}, stopped and
 * deleted at the end. When the binaries are missing it fails with what to install (CI installs
 * them: {@code helm/tools/install-postgresql.sh}, run by {@code ./sieve test}); it never passes
 * silently. As root (CI containers) it runs the server as the package's {@code postgres} user,
 * since PostgreSQL refuses to run as root.
 */
final class TestPostgres implements AutoCloseable {

  private static TestPostgres shared;

  /** Where helm/tools/install-postgresql.sh unpacks the package when not root. */
  static final Path LOCAL =
      Path.of(System.getProperty("sieve.repo.root", ".."))
          .toAbsolutePath()
          .normalize()
          .resolve(".tools/postgresql");

  private final Path dir;
  private final Path bin;
  private final int port;
  private final boolean asPostgresUser;

  private TestPostgres(Path dir, Path bin, int port, boolean asPostgresUser) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** One server per test JVM, stopped at exit. */
  static synchronized TestPostgres shared() throws Exception {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  static Path findBin() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("SIEVE_PG_BIN");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    // The system package (root installs it), else what install-postgresql.sh unpacked without root.
    for (Path lib : List.of(Path.of("/usr/lib/postgresql"), LOCAL.resolve("usr/lib/postgresql"))) {
      if (Files.isDirectory(lib)) {
        try (Stream<Path> s = Files.list(lib)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> candidates.add(p.resolve("bin")));
        } catch (IOException e) {
          // fall through
        }
      }
    }
    for (Path c : candidates) {
      if (Files.isExecutable(c.resolve("initdb")) && Files.isExecutable(c.resolve("pg_ctl"))) {
        return c;
      }
    }
    return null;
  }

  private static TestPostgres start() throws Exception {
    Path bin = findBin();
    if (bin == null) {
      throw new AssertionError(
          "PostgreSQL is not available, so the PostgreSQL half of this test cannot run:"
              + " no initdb/pg_ctl under SIEVE_PG_BIN or /usr/lib/postgresql/*/bin. Install Debian's postgresql package"
              + " (bash helm/tools/install-postgresql.sh, which ./sieve test runs) and run again.");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("sieve-annotate-pg");
    if (root) {
      run(List.of("chown", "postgres:postgres", dir.toString()), false);
    }
    Path data = dir.resolve("data");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TestPostgres pg = new TestPostgres(dir, bin, port, root);
    pg.exec(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            "sieve",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync"));
    pg.exec(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-w",
            "-t",
            "60",
            "-l",
            dir.resolve("log").toString(),
            "-o",
            "-p " + port + " -h 127.0.0.1 -k " + dir + " -F",
            "start"));
    return pg;
  }

  String jdbcUrl(String database) throws Exception {
    exec(
        List.of(
            bin.resolve("createdb").toString(),
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-U",
            "sieve",
            database));
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=sieve";
  }

  private void exec(List<String> command) throws Exception {
    run(command, asPostgresUser);
  }

  private static void run(List<String> command, boolean asPostgres) throws Exception {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
    if (command.get(0).startsWith(LOCAL.toString())) {
      builder
          .environment()
          .put("LD_LIBRARY_PATH", LOCAL.resolve("usr/lib/x86_64-linux-gnu").toString());
    }
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", full) + " failed:\n" + out);
    }
  }

  @Override
  public void close() {
    try {
      exec(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-m",
              "immediate",
              "stop"));
    } catch (Exception e) {
      // best effort
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
