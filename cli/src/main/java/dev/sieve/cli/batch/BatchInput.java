package dev.sieve.cli.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Reads {@code classify-batch} input lazily, one item per non-blank line, in one of two formats:
 *
 * <ul>
 *   <li>JSONL: {@code {"id": ..., "url": "...", "text": "...", "html": "...", "tenant": "..."}}; every
 *       field optional, unknown fields ignored, a missing id becomes the line number;
 *   <li>plain: one URL per line, id = line number.
 * </ul>
 *
 * A file is one or the other: an item line starting with {@code {} is a JSONL line, any other item
 * line a URL line, and a file holding both is refused ({@link MixedFormatException}) rather than
 * guessed from its first line: guessing read the JSONL lines of a file that started with a URL as
 * URLs, and classified garbage without a word.
 *
 * <p>Blank lines and lines starting with {@code #} are not items. A line that cannot be read (bad
 * JSON, wrong field type) is still an item, carrying its {@link BatchItem#inputError()}, so that
 * the output keeps one line per input item.
 */
public final class BatchInput implements Iterator<BatchItem>, Closeable {

  /** Input file format. */
  public enum Format {
    JSONL,
    PLAIN
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final BufferedReader reader;
  private final Format format;
  private int lineNumber;
  private int index;
  private BatchItem next;

  private BatchInput(BufferedReader reader, Format format) {
    this.reader = reader;
    this.format = format;
  }

  public static BatchInput open(Path file) throws IOException {
    Format format = detect(file);
    return new BatchInput(Files.newBufferedReader(file, StandardCharsets.UTF_8), format);
  }

  public Format format() {
    return format;
  }

  /**
   * JSONL when every item line starts with '{', plain when none does (and for an empty file).
   *
   * @throws MixedFormatException when the file holds both kinds of item line; the message names the
   *     first line of each kind
   */
  public static Format detect(Path file) throws IOException {
    int firstJson = 0;
    int firstPlain = 0;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        String trimmed = stripBom(line).strip();
        if (!isItemLine(trimmed)) {
          continue;
        }
        if (trimmed.startsWith("{")) {
          firstJson = firstJson == 0 ? lineNumber : firstJson;
        } else {
          firstPlain = firstPlain == 0 ? lineNumber : firstPlain;
        }
        if (firstJson != 0 && firstPlain != 0) {
          throw new MixedFormatException(file, firstJson, firstPlain);
        }
      }
    }
    return firstJson != 0 ? Format.JSONL : Format.PLAIN;
  }

  /**
   * A file that mixes JSONL lines and URL lines. Refused as a whole: which reading the caller meant
   * cannot be known, and classifying either half as the other kind gives verdicts on garbage.
   */
  public static final class MixedFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    MixedFormatException(Path file, int firstJsonLine, int firstPlainLine) {
      super(
          file
              + " mixes JSONL lines (first: line "
              + firstJsonLine
              + ") and URL lines (first: line "
              + firstPlainLine
              + "); use one format per file: every item line a JSON object"
              + " ({\"url\": ...}), or every item line a URL");
    }
  }

  /** Number of items in the file (one cheap pass; used for progress and ETA). */
  public static int count(Path file) throws IOException {
    int count = 0;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (isItemLine(stripBom(line).strip())) {
          count++;
        }
      }
    }
    return count;
  }

  /**
   * Parses one line.
   *
   * @return empty for blank and comment lines
   */
  public static Optional<BatchItem> parseLine(
      Format format, int lineNumber, int index, String rawLine) {
    String line = stripBom(rawLine).strip();
    if (!isItemLine(line)) {
      return Optional.empty();
    }
    IntNode lineId = IntNode.valueOf(lineNumber);
    if (format == Format.PLAIN) {
      return Optional.of(new BatchItem(index, lineNumber, lineId, line, null, null, null, null));
    }
    if (!line.startsWith("{")) {
      return Optional.of(
          invalid(index, lineNumber, lineId, "line " + lineNumber + ": expected a JSON object"));
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return Optional.of(
          invalid(
              index,
              lineNumber,
              lineId,
              "line " + lineNumber + ": malformed JSON: " + e.getOriginalMessage()));
    }
    if (node == null || !node.isObject()) {
      return Optional.of(
          invalid(index, lineNumber, lineId, "line " + lineNumber + ": expected a JSON object"));
    }
    JsonNode id = node.has("id") && !node.get("id").isNull() ? node.get("id") : lineId;
    if (!id.isValueNode()) {
      return Optional.of(
          invalid(
              index,
              lineNumber,
              lineId,
              "line " + lineNumber + ": \"id\" must be a string or number"));
    }
    String[] values = new String[4];
    String[] fields = {"url", "text", "html", "tenant"};
    for (int i = 0; i < fields.length; i++) {
      JsonNode value = node.get(fields[i]);
      if (value == null || value.isNull()) {
        continue;
      }
      if (!value.isTextual()) {
        return Optional.of(
            invalid(
                index,
                lineNumber,
                id,
                "line " + lineNumber + ": \"" + fields[i] + "\" must be a string"));
      }
      values[i] = value.asText();
    }
    return Optional.of(
        new BatchItem(index, lineNumber, id, values[0], values[1], values[2], values[3], null));
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        Optional<BatchItem> item = parseLine(format, lineNumber, index, line);
        if (item.isPresent()) {
          index++;
          next = item.get();
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read input at line " + (lineNumber + 1), e);
    }
  }

  @Override
  public BatchItem next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    BatchItem item = next;
    next = null;
    return item;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  private static BatchItem invalid(int index, int lineNumber, JsonNode id, String message) {
    return new BatchItem(index, lineNumber, id, null, null, null, null, message);
  }

  private static boolean isItemLine(String trimmed) {
    return !trimmed.isEmpty() && !trimmed.startsWith("#");
  }

  private static String stripBom(String line) {
    return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
  }
}
