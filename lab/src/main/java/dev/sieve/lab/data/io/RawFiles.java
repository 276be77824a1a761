package dev.sieve.lab.data.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Opens raw inputs, gzipped or not, as UTF-8 text. Raw files are read-only inputs; malformed UTF-8
 * is replaced by U+FFFD so that the line can be reported (by file and line) instead of killing the
 * build.
 */
public final class RawFiles {

  /** The replacement character a malformed byte sequence decodes to. */
  public static final char MALFORMED = '\uFFFD';

  private RawFiles() {}

  public static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      return new GZIPInputStream(in, 1 << 16);
    }
    return in;
  }

  public static BufferedReader reader(Path file) throws IOException {
    return new BufferedReader(
        new InputStreamReader(
            open(file),
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)),
        1 << 16);
  }

  /** The file, or its gzipped sibling ({@code name.gz}) when only that exists. */
  public static Path resolve(Path dir, String name) {
    Path plain = dir.resolve(name);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gz = dir.resolve(name + ".gz");
    return Files.isRegularFile(gz) ? gz : plain;
  }

  /**
   * Every regular file of a (gzipped) tar archive as UTF-8 text (malformed bytes replaced), sorted
   * by entry name so that the order never depends on how the archive was written. Archives here are
   * a few MB; their files are read whole.
   */
  public static SortedMap<String, String> tarEntries(Path archive) throws IOException {
    SortedMap<String, String> out = new TreeMap<>();
    try (var tar = new TarArchiveInputStream(open(archive))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!entry.isFile()) {
          continue;
        }
        byte[] bytes = tar.readAllBytes();
        out.put(
            entry.getName(),
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .decode(ByteBuffer.wrap(bytes))
                .toString());
      }
    }
    return out;
  }

  /** The file name without a trailing ".gz". */
  public static String logicalName(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
  }
}
