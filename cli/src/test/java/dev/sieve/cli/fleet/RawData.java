package dev.sieve.cli.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads single records from the imported raw data (data/raw), so tests use real texts, not made-up
 * ones.
 */
final class RawData {

  private RawData() {}

  /**
   * The bytes of the entry whose name ends with {@code nameSuffix} in a .tar.gz (plain ustar
   * reading).
   */
  static byte[] tarGzEntry(Path archive, String nameSuffix) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 64 * 1024)) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512) {
        if (header[0] == 0) {
          break;
        }
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        long size =
            Long.parseLong(
                field(header, 124, 12).strip().isEmpty() ? "0" : field(header, 124, 12).strip(), 8);
        byte[] content = in.readNBytes((int) size);
        long padding = (512 - size % 512) % 512;
        in.skipNBytes(padding);
        if (name.endsWith(nameSuffix)) {
          return content;
        }
      }
    }
    throw new IOException("no entry ending in " + nameSuffix + " in " + archive);
  }

  /**
   * The second field of the CSV line whose first field is {@code id}, in a .csv.gz (quoted fields,
   * "" escapes).
   */
  static String csvGzField(Path file, String id) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int at = text.indexOf("\n" + id + ",");
      if (at < 0) {
        throw new IOException("no line " + id + " in " + file);
      }
      int start = at + id.length() + 2;
      if (text.charAt(start) != '"') {
        return text.substring(start, text.indexOf(',', start));
      }
      StringBuilder out = new StringBuilder();
      for (int i = start + 1; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            out.append('"');
            i++;
            continue;
          }
          return out.toString();
        }
        out.append(c);
      }
      throw new IOException("unterminated field for " + id + " in " + file);
    }
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }
}
