package dev.sieve.llm.category;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the three category files from a directory ({@code SIEVE_HOME/config/categories}, hot
 * reloadable) or from the copy packaged in the jar (the fallback for a deployment without the
 * config directory, which then cannot be changed without a new image).
 */
public final class CatalogLoader {

  /** Classpath folder holding the packaged copy of {@code config/categories/*.yaml}. */
  public static final String CLASSPATH_DIR = "sieve/categories/";

  private CatalogLoader() {}

  public static CategoryCatalog fromDirectory(Path dir) throws CategoryConfigException {
    String[] contents = new String[CategoryFiles.ALL.size()];
    for (int i = 0; i < contents.length; i++) {
      Path file = dir.resolve(CategoryFiles.ALL.get(i));
      try {
        contents[i] = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CategoryConfigException("cannot read " + file + ": " + e, e);
      }
    }
    return CategoryFiles.parse(contents[0], contents[1], contents[2], dir.toString());
  }

  public static CategoryCatalog fromClasspath() throws CategoryConfigException {
    String[] contents = new String[CategoryFiles.ALL.size()];
    for (int i = 0; i < contents.length; i++) {
      String resource = CLASSPATH_DIR + CategoryFiles.ALL.get(i);
      try (InputStream in = CatalogLoader.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new CategoryConfigException("packaged category file missing: " + resource);
        }
        contents[i] = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return CategoryFiles.parse(contents[0], contents[1], contents[2], "classpath:" + CLASSPATH_DIR);
  }

  /** True when {@code dir} holds all three category files. */
  public static boolean isCategoryDirectory(Path dir) {
    return CategoryFiles.ALL.stream().allMatch(name -> Files.isRegularFile(dir.resolve(name)));
  }
}
