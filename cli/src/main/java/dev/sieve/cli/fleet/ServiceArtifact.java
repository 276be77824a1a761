package dev.sieve.cli.fleet;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;

/**
 * The built jar of a runnable module ({@code <module>/target/sieve-<module>-<version>.jar} plus
 * {@code target/lib/*}), and whether it actually contains the module's main class. A module that is
 * not built, or built before its main class existed, is "not deployed" rather than an error.
 */
public record ServiceArtifact(FleetService service, Path jar, Path libDir) {

  /** The classpath for {@code java -cp}: the module jar then every jar in target/lib. */
  public String classpath() {
    return jar + File.pathSeparator + libDir.resolve("*");
  }

  /**
   * Finds the service's jar under {@code buildRoot}, or explains why there is none.
   *
   * @return the artifact, or empty with {@code whyMissing[0]} set to a one-line reason
   */
  public static Optional<ServiceArtifact> locate(
      FleetService service, Path buildRoot, String[] whyMissing) {
    Path target = buildRoot.resolve(service.moduleDir()).resolve("target");
    Optional<Path> jar = findJar(target, service.artifactId());
    if (jar.isEmpty()) {
      whyMissing[0] = "not built (no " + target.resolve(service.artifactId() + "-*.jar") + ")";
      return Optional.empty();
    }
    if (!containsClass(jar.get(), service.mainClass())) {
      whyMissing[0] = jar.get().getFileName() + " has no " + service.mainClass();
      return Optional.empty();
    }
    return Optional.of(new ServiceArtifact(service, jar.get(), target.resolve("lib")));
  }

  static Optional<Path> findJar(Path targetDir, String artifactId) {
    if (!Files.isDirectory(targetDir)) {
      return Optional.empty();
    }
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> stream =
        Files.newDirectoryStream(targetDir, artifactId + "-*.jar")) {
      for (Path path : stream) {
        String name = path.getFileName().toString();
        if (!name.endsWith("-tests.jar")
            && !name.endsWith("-sources.jar")
            && !name.endsWith("-javadoc.jar")) {
          candidates.add(path);
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    // Several versions side by side: the most recently built one is what the developer expects.
    return candidates.stream().max(Comparator.comparing(ServiceArtifact::lastModified));
  }

  private static long lastModified(Path path) {
    try {
      return Files.getLastModifiedTime(path).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static boolean containsClass(Path jar, String className) {
    try (JarFile jarFile = new JarFile(jar.toFile())) {
      return jarFile.getEntry(className.replace('.', '/') + ".class") != null;
    } catch (IOException e) {
      return false;
    }
  }
}
