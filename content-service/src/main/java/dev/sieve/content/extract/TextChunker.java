package dev.sieve.content.extract;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an {@link ExtractedPage} into encoder-sized chunks under a per-page cap.
 *
 * <p>Why chunks: the sentence encoder's tokenizer truncates every input at 128 word pieces (~100
 * words), so a page passed whole would be judged on its first paragraph. Pages are split into
 * chunks of {@code wordsPerChunk} words, each encoded separately and pooled (mean + max) by the
 * model; the max keeps one explicit paragraph from being averaged away by a long harmless page.
 *
 * <p>Budget per page ({@code maxChunks}): the header section (title, description, keywords,
 * headings) gets up to 2 chunks, links (anchors, alt texts) up to 2, and the body the rest, in that
 * order of priority; unused budget of one section goes to the body. Words longer than 40 characters
 * (base64 blobs, minified junk) are cut so one token cannot fill a chunk's word-piece budget.
 */
public final class TextChunker {

  static final int MAX_WORD_CHARS = 40;
  private static final int HEADER_CHUNKS = 2;
  private static final int LINK_CHUNKS = 2;

  private final int wordsPerChunk;
  private final int maxChunks;

  public TextChunker(int wordsPerChunk, int maxChunks) {
    if (wordsPerChunk <= 0 || maxChunks <= 0) {
      throw new IllegalArgumentException("wordsPerChunk and maxChunks must be positive");
    }
    this.wordsPerChunk = wordsPerChunk;
    this.maxChunks = maxChunks;
  }

  public TextChunker(ExtractionLimits limits) {
    this(limits.wordsPerChunk(), limits.maxChunks());
  }

  /** Chunks of a page, header first, then body, then links; empty when the page has no text. */
  public List<Chunk> chunk(ExtractedPage page) {
    List<List<String>> header = split(page.header());
    List<List<String>> body = split(page.body());
    List<List<String>> links = split(page.links());

    int headerTake = Math.min(header.size(), Math.min(HEADER_CHUNKS, maxChunks));
    int linkTake = Math.min(links.size(), Math.min(LINK_CHUNKS, maxChunks - headerTake));
    int bodyTake = Math.min(body.size(), maxChunks - headerTake - linkTake);
    // Body shorter than its share: give the spare budget back to header and links.
    int spare = maxChunks - headerTake - linkTake - bodyTake;
    int extraHeader = Math.min(spare, header.size() - headerTake);
    headerTake += extraHeader;
    spare -= extraHeader;
    linkTake += Math.min(spare, links.size() - linkTake);

    List<Chunk> chunks = new ArrayList<>(headerTake + bodyTake + linkTake);
    add(chunks, "header", header, headerTake);
    add(chunks, "body", body, bodyTake);
    add(chunks, "links", links, linkTake);
    return chunks;
  }

  /** Number of chunks the page would have without the per-page cap (for truncation reporting). */
  public int uncappedChunkCount(ExtractedPage page) {
    return split(page.header()).size() + split(page.body()).size() + split(page.links()).size();
  }

  private static void add(List<Chunk> out, String section, List<List<String>> groups, int take) {
    for (int i = 0; i < take; i++) {
      List<String> words = groups.get(i);
      out.add(new Chunk(out.size(), section, String.join(" ", words), words.size()));
    }
  }

  private List<List<String>> split(String text) {
    List<List<String>> groups = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return groups;
    }
    List<String> current = new ArrayList<>(wordsPerChunk);
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean boundary = i == text.length() || Character.isWhitespace(text.charAt(i));
      if (!boundary) {
        if (start < 0) {
          start = i;
        }
        continue;
      }
      if (start >= 0) {
        String word = text.substring(start, i);
        current.add(
            word.length() > MAX_WORD_CHARS ? TextNormalizer.truncate(word, MAX_WORD_CHARS) : word);
        start = -1;
        if (current.size() == wordsPerChunk) {
          groups.add(current);
          current = new ArrayList<>(wordsPerChunk);
        }
      }
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    return groups;
  }
}
