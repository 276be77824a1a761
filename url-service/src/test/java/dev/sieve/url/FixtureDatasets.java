package dev.sieve.url;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Materializes a readable fixture (plain JSONL under src/test/resources/fixtures/NAME) as a dataset
 * version in the real on-disk format (gzipped JSONL + manifest + CURRENT) under a temporary
 * SIEVE_HOME, so tests read it through core's DatasetVersion exactly as the service does.
 */
public final class FixtureDatasets {

  private FixtureDatasets() {}

  /**
   * Writes {@code home/data/datasets/<version>/} from the fixture and points CURRENT at it.
   *
   * @return the version directory
   */
  public static Path install(String fixture, Path home) {
    try {
      String manifest = resource(fixture, "manifest.json");
      String version = JsonMapper.builder().build().readTree(manifest).path("version").asText();
      Path datasets = home.resolve("data").resolve("datasets");
      Path dir = datasets.resolve(version);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("manifest.json"), manifest);
      gzip(resource(fixture, "domains.jsonl"), dir.resolve("domains.jsonl.gz"));
      String background = resourceOrNull(fixture, "background.jsonl");
      if (background != null) {
        gzip(background, dir.resolve("background.jsonl.gz"));
      }
      String texts = resourceOrNull(fixture, "texts.jsonl");
      if (texts != null) {
        gzip(texts, dir.resolve("texts.jsonl.gz"));
      }
      Files.writeString(datasets.resolve("CURRENT"), version + "\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void gzip(String text, Path file) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String resource(String fixture, String name) throws IOException {
    String text = resourceOrNull(fixture, name);
    if (text == null) {
      throw new IllegalStateException("missing fixture resource fixtures/" + fixture + "/" + name);
    }
    return text;
  }

  private static String resourceOrNull(String fixture, String name) throws IOException {
    try (InputStream in =
        FixtureDatasets.class.getResourceAsStream("/fixtures/" + fixture + "/" + name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
