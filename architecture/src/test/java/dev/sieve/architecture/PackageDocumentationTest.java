package dev.sieve.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every production package says in a package-info.java what lives there and why, so a newcomer can
 * read the design from the tree. New packages fail this test until they do.
 */
class PackageDocumentationTest {

  @Test
  void everyProductionPackageHasAPackageInfo() throws IOException {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    List<Path> undocumented;
    try (Stream<Path> files = Files.walk(root, 12)) {
      undocumented =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().contains("/src/main/java/"))
              .filter(
                  p ->
                      !p.toString().contains("/target/")
                          && !p.toString().contains("/node_modules/"))
              .map(Path::getParent)
              .distinct()
              .filter(dir -> !Files.exists(dir.resolve("package-info.java")))
              .map(root::relativize)
              .sorted()
              .toList();
    }
    assertThat(undocumented).as("packages without package-info.java").isEmpty();
  }
}
