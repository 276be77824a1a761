package dev.sieve.llm.embedded;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits page text into chunks the encoder can see whole.
 *
 * <p>The encoder truncates at 128 word pieces, so a page is cut into chunks of at most {@code
 * maxWords} words. Chunks are packed from whole sentences (a sentence is never split unless it
 * alone is longer than {@code maxWords}), so a short harmful passage stays together in one chunk
 * instead of being cut in half and diluted on both sides. A long page is not scored in full: when
 * it has more than {@code maxChunks} chunks, {@code maxChunks} of them are taken evenly spaced from
 * the first to the last, so the beginning, the end and the middle are all seen at a bounded cost.
 * The result says whether chunks were skipped (the evidence reports it).
 */
public final class TextChunker {

  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?…。！？])\\s+|\\s*\\n\\s*");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final int maxWords;
  private final int maxChunks;

  public TextChunker(int maxWords, int maxChunks) {
    if (maxWords < 1 || maxChunks < 1) {
      throw new IllegalArgumentException("maxWords and maxChunks must be positive");
    }
    this.maxWords = maxWords;
    this.maxChunks = maxChunks;
  }

  public int maxWords() {
    return maxWords;
  }

  public int maxChunks() {
    return maxChunks;
  }

  /** Chunks of one text plus how many chunks the whole text had. */
  public record Chunks(List<String> chunks, int totalWindows) {
    public boolean sampled() {
      return totalWindows > chunks.size();
    }
  }

  public Chunks chunk(String text) {
    List<String> all = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String sentence : SENTENCE_END.split(text.strip())) {
      String[] words = WHITESPACE.split(sentence.strip());
      if (words.length == 0 || (words.length == 1 && words[0].isEmpty())) {
        continue;
      }
      if (words.length > maxWords) {
        flush(all, current);
        int windows = (words.length + maxWords - 1) / maxWords;
        int size = (words.length + windows - 1) / windows;
        for (int start = 0; start < words.length; start += size) {
          all.add(
              String.join(
                  " ", Arrays.copyOfRange(words, start, Math.min(words.length, start + size))));
        }
        continue;
      }
      if (current.size() + words.length > maxWords) {
        flush(all, current);
      }
      current.addAll(Arrays.asList(words));
    }
    flush(all, current);
    if (all.size() <= maxChunks) {
      return new Chunks(all, all.size());
    }
    List<String> picked = new ArrayList<>(maxChunks);
    if (maxChunks == 1) {
      picked.add(all.get(0));
    } else {
      for (int i = 0; i < maxChunks; i++) {
        picked.add(all.get((int) Math.round(i * (all.size() - 1) / (double) (maxChunks - 1))));
      }
    }
    return new Chunks(picked, all.size());
  }

  private static void flush(List<String> out, List<String> current) {
    if (!current.isEmpty()) {
      out.add(String.join(" ", current));
      current.clear();
    }
  }
}
