package dev.sieve.cli.fleet;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a fake "checkout" whose service modules are tiny gRPC servers (health only), laid out
 * exactly like the real ones ({@code <module>/target/sieve-<module>-0.1.0-SNAPSHOT.jar} + {@code
 * target/lib/*}), so that up/status/down can be tested as real separate processes without the real
 * services.
 *
 * <p>The fake main reads {@code -Dfake.fail=<main class>} (print "boom", exit 3) and {@code
 * -Dfake.never.serving=<main class>} (listen but stay NOT_SERVING), and logs the tier targets it
 * got.
 */
final class FakeServiceBuild {

  private static final String SOURCE =
      """
      package %s;

      public final class %s {
        public static void main(String[] args) throws Exception {
          String me = %s.class.getName();
          int port = Integer.getInteger("sieve.grpc.port");
          System.out.println("fake " + me + " port=" + port + " home=" + System.getProperty("sieve.home")
              + " url=" + System.getProperty("sieve.url.tier.target")
              + " content=" + System.getProperty("sieve.content.tier.target")
              + " llm=" + System.getProperty("sieve.llm.tier.target"));
          if (me.equals(System.getProperty("fake.fail"))) {
            System.out.println("boom: cannot load the policy");
            System.exit(3);
          }
          dev.sieve.core.grpc.GrpcServerLauncher server =
              dev.sieve.core.grpc.GrpcServerLauncher.builder(me)
                  .host(System.getProperty("sieve.bind.host")).port(port).build().start();
          server.installShutdownHook(java.time.Duration.ofSeconds(1), () -> System.out.println("fake stopped"));
          if (!me.equals(System.getProperty("fake.never.serving"))) {
            Thread.sleep(200);
            server.markServing();
          }
          server.awaitTermination();
        }
      }
      """;

  private FakeServiceBuild() {}

  /** Writes fake modules for the given services under {@code buildRoot}. */
  static void create(Path buildRoot, List<FleetService> services) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new IllegalStateException("tests need a JDK (javax.tools compiler)");
    }
    String classpath = System.getProperty("java.class.path");
    for (FleetService service : services) {
      String main = service.mainClass();
      String pkg = main.substring(0, main.lastIndexOf('.'));
      String simple = main.substring(main.lastIndexOf('.') + 1);
      Path work = Files.createTempDirectory("fake-" + service.serviceName());
      Path source = work.resolve("src").resolve(main.replace('.', '/') + ".java");
      Files.createDirectories(source.getParent());
      Files.writeString(source, SOURCE.formatted(pkg, simple, simple));
      Path classes = Files.createDirectories(work.resolve("classes"));
      int rc =
          compiler.run(
              null,
              null,
              null,
              "-classpath",
              classpath,
              "-d",
              classes.toString(),
              source.toString());
      if (rc != 0) {
        throw new IllegalStateException("cannot compile the fake " + main);
      }
      Path target =
          Files.createDirectories(buildRoot.resolve(service.moduleDir()).resolve("target"));
      jar(classes, target.resolve(service.artifactId() + "-0.1.0-SNAPSHOT.jar"));
      Path lib = Files.createDirectories(target.resolve("lib"));
      for (String entry : classpath.split(File.pathSeparator)) {
        Path jar = Path.of(entry);
        if (entry.endsWith(".jar")
            && Files.isRegularFile(jar)
            && !Files.exists(lib.resolve(jar.getFileName()))) {
          Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar.toAbsolutePath());
        }
      }
    }
  }

  private static void jar(Path classes, Path jarFile) throws IOException {
    try (OutputStream out = Files.newOutputStream(jarFile);
        JarOutputStream jar = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        jar.putNextEntry(
            new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
        jar.write(Files.readAllBytes(file));
        jar.closeEntry();
      }
    }
  }
}
