package dev.sieve.lab.data.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sieve.core.data.DatasetVersion;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;

/**
 * Writes gzipped JSON Lines byte-for-byte deterministically: the same records in the same order
 * give the same file hash, which is what makes a dataset version id a content hash.
 *
 * <p>Why this is deterministic: Java's {@link GZIPOutputStream} writes a fixed header (mtime 0, no
 * file name, OS byte 0) and the default deflate level; map entries are serialized sorted by key
 * ({@code Map.copyOf} in the core records has a per-JVM random iteration order); callers sort the
 * records. The same JDK's zlib gives the same bytes; a different zlib may not (the manifest records
 * the row counts and the record order so a cross-JDK comparison can use decompressed content).
 */
public final class JsonlGzWriter implements AutoCloseable {

  private static final ObjectMapper MAPPER =
      DatasetVersion.mapper()
          .copy()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(SerializationFeature.INDENT_OUTPUT, false);

  private final OutputStream out;
  private final ObjectWriter writer = MAPPER.writer();
  private long rows;

  public JsonlGzWriter(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    this.out =
        new BufferedOutputStream(
            new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16);
  }

  /** The mapper used for dataset records (sorted map keys). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public void write(Object record) {
    try {
      out.write(writer.writeValueAsBytes(record));
      out.write('\n');
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long rows() {
    return rows;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** Serializes one value as a single JSON line (sorted keys). */
  public static String toJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a pretty-printed JSON document with sorted keys (manifests, cards, reports). */
  public static void writeJson(Path file, Object value) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] bytes =
        MAPPER.copy().configure(SerializationFeature.INDENT_OUTPUT, true).writeValueAsBytes(value);
    Files.write(file, bytes);
    Files.write(file, new byte[] {'\n'}, StandardOpenOption.APPEND);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
