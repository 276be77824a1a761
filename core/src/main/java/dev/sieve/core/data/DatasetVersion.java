package dev.sieve.core.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * A built dataset version on disk: {@code data/datasets/<version>/} with {@code manifest.json} and
 * gzipped JSONL files. The one source of truth that the known-domain table, every trainer and every
 * evaluation read; its {@link #id()} travels into model cards and verdict lineage.
 *
 * <p>Layout (written by the lab's data pipeline):
 *
 * <pre>
 *   manifest.json          version id, mapping version, split seed, files with SHA-256 and row counts
 *   domains.jsonl.gz       {@link DomainRecord} per listed host (positive-only lists)
 *   background.jsonl.gz    {@link DomainRecord} per ordinary popular host (list members subtracted)
 *   texts.jsonl.gz         {@link TextRecord} per text
 *   pages.jsonl.gz         {@link PageRecord} per real web page (evaluation only; absent before v3)
 *   data-card.md / .json   the generated data card
 * </pre>
 */
public final class DatasetVersion {

  public static final String MANIFEST = "manifest.json";
  public static final String DOMAINS = "domains.jsonl.gz";
  public static final String BACKGROUND = "background.jsonl.gz";
  public static final String TEXTS = "texts.jsonl.gz";
  public static final String PAGES = "pages.jsonl.gz";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Path dir;
  private final JsonNode manifest;

  private DatasetVersion(Path dir, JsonNode manifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  /** Opens a version directory; fails with a clear message when the manifest is missing. */
  public static DatasetVersion open(Path dir) {
    Path manifestFile = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new IllegalStateException(
          "no dataset version at " + dir + " (missing " + MANIFEST + "); run: ./sieve data build");
    }
    try {
      return new DatasetVersion(dir, MAPPER.readTree(manifestFile.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + manifestFile, e);
    }
  }

  /**
   * The version named by {@code data/datasets/CURRENT} under {@code repoRoot} (one line: the
   * version directory name).
   */
  public static DatasetVersion current(Path datasetsDir) {
    Path pointer = datasetsDir.resolve("CURRENT");
    try {
      String name = Files.readString(pointer, StandardCharsets.UTF_8).strip();
      return open(datasetsDir.resolve(name));
    } catch (IOException e) {
      throw new IllegalStateException(
          "no current dataset version (" + pointer + " missing); run: ./sieve data build", e);
    }
  }

  /** Version id (content hash of the manifest's outputs), e.g. "ds-1a2b3c4d5e6f". */
  public String id() {
    return manifest.path("version").asText();
  }

  public Path dir() {
    return dir;
  }

  public JsonNode manifest() {
    return manifest;
  }

  public void forEachDomain(Consumer<DomainRecord> consumer) {
    forEach(DOMAINS, DomainRecord.class, consumer);
  }

  public void forEachBackground(Consumer<DomainRecord> consumer) {
    forEach(BACKGROUND, DomainRecord.class, consumer);
  }

  public void forEachText(Consumer<TextRecord> consumer) {
    forEach(TEXTS, TextRecord.class, consumer);
  }

  /** Real web pages (evaluation only); nothing for a version built before pages existed. */
  public void forEachPage(Consumer<PageRecord> consumer) {
    forEach(PAGES, PageRecord.class, consumer);
  }

  public List<PageRecord> pages() {
    List<PageRecord> out = new ArrayList<>();
    forEachPage(out::add);
    return out;
  }

  public List<DomainRecord> domains() {
    List<DomainRecord> out = new ArrayList<>();
    forEachDomain(out::add);
    return out;
  }

  public List<DomainRecord> background() {
    List<DomainRecord> out = new ArrayList<>();
    forEachBackground(out::add);
    return out;
  }

  public List<TextRecord> texts() {
    List<TextRecord> out = new ArrayList<>();
    forEachText(out::add);
    return out;
  }

  private <T> void forEach(String file, Class<T> type, Consumer<T> consumer) {
    Path path = dir.resolve(file);
    if (!Files.isRegularFile(path)) {
      return;
    }
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(path), 1 << 16),
                StandardCharsets.UTF_8))) {
      String line;
      int lineNo = 0;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        try {
          consumer.accept(MAPPER.readValue(line, type));
        } catch (IOException e) {
          throw new IllegalStateException(
              path + ":" + lineNo + ": malformed record: " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** The JSON mapper configured for dataset records (shared so writers and readers agree). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
