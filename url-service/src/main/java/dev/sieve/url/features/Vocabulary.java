package dev.sieve.url.features;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Unigram word counts for segmenting concatenated host labels ({@code freecasinobonus} to {@code
 * free casino bonus}).
 *
 * <p>Learned from the training split only (never dev or test): words of hyphenated host labels and
 * of the dataset's training texts. Saved next to the model ({@code vocab.tsv.gz}, word TAB count,
 * most frequent first) because segmentation is part of the feature extraction the model was trained
 * with.
 */
public final class Vocabulary {

  /** Longest word kept; longer alphabetic runs are not words but concatenations. */
  public static final int MAX_WORD_LENGTH = 24;

  private final Map<String, Long> counts;

  private Vocabulary(Map<String, Long> counts) {
    this.counts = Collections.unmodifiableMap(counts);
  }

  /** An empty vocabulary (segmentation then leaves every label whole). */
  public static Vocabulary empty() {
    return new Vocabulary(new LinkedHashMap<>());
  }

  /**
   * Keeps the {@code maxWords} most frequent lower-case a-z words of length 2..{@value
   * #MAX_WORD_LENGTH} with at least {@code minCount} occurrences; ties broken alphabetically so the
   * result is deterministic.
   */
  public static Vocabulary fromCounts(Map<String, Long> raw, int minCount, int maxWords) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>();
    for (Map.Entry<String, Long> e : raw.entrySet()) {
      if (e.getValue() >= minCount && isWord(e.getKey())) {
        entries.add(e);
      }
    }
    entries.sort(
        Map.Entry.<String, Long>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    Map<String, Long> kept = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : entries) {
      if (kept.size() >= maxWords) {
        break;
      }
      kept.put(e.getKey(), e.getValue());
    }
    return new Vocabulary(kept);
  }

  static boolean isWord(String s) {
    if (s.length() < 2 || s.length() > MAX_WORD_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 'a' || c > 'z') {
        return false;
      }
    }
    return true;
  }

  /** Word counts, most frequent first. */
  public Map<String, Long> counts() {
    return counts;
  }

  public int size() {
    return counts.size();
  }

  public void save(Path file) {
    try (BufferedWriter out =
        new BufferedWriter(
            new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8))) {
      for (Map.Entry<String, Long> e : counts.entrySet()) {
        out.write(e.getKey());
        out.write('\t');
        out.write(Long.toString(e.getValue()));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static Vocabulary load(Path file) {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        int tab = line.indexOf('\t');
        if (tab <= 0) {
          throw new IllegalStateException(file + ":" + lineNo + ": expected word<TAB>count");
        }
        counts.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return new Vocabulary(counts);
  }
}
