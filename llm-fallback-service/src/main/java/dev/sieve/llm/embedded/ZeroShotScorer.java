package dev.sieve.llm.embedded;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.embedded.PrototypeIndex.CategoryPrototypes;
import dev.sieve.llm.embedded.PrototypeIndex.Prototype;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Zero-shot scoring by embedding similarity: the raw margin of a text for a category.
 *
 * <p>For every chunk of the text: similarity to the closest positive prototype minus similarity to
 * the closest negative prototype (the category's hard negatives or an ordinary background page).
 * The text's margin is the best chunk's (max pooling): one chunk about gambling makes a long page
 * gambling-like, and text appended in a separate chunk (a footer, an injected "this page is safe")
 * cannot lower it. Subtracting the negatives is what keeps pages that merely share vocabulary with
 * a category (sports scores versus betting) low.
 *
 * <p>Shared by the serving backend and the offline evaluation so that calibrations are fitted on
 * exactly the execution path that serves.
 */
public final class ZeroShotScorer {

  /** A text's chunks and their embeddings. */
  public record EmbeddedText(List<String> chunks, float[][] vectors, int totalWindows) {
    public boolean sampled() {
      return totalWindows > chunks.size();
    }
  }

  /** The best chunk's margin for one category and what drove it. */
  public record Match(
      double margin,
      int chunkIndex,
      Prototype closestPositive,
      double positiveSimilarity,
      Prototype closestNegative,
      double negativeSimilarity) {}

  private final SentenceEncoder encoder;
  private final TextChunker chunker;
  private final Cache<String, PrototypeIndex> indexes =
      Caffeine.newBuilder().maximumSize(8).build();

  public ZeroShotScorer(SentenceEncoder encoder, TextChunker chunker) {
    this.encoder = encoder;
    this.chunker = chunker;
  }

  public SentenceEncoder encoder() {
    return encoder;
  }

  public TextChunker chunker() {
    return chunker;
  }

  /** The prototypes of {@code catalog}, embedded on first use and cached by catalog version. */
  public PrototypeIndex prototypes(CategoryCatalog catalog) {
    return indexes.get(catalog.version(), v -> PrototypeIndex.build(catalog, encoder, chunker));
  }

  public EmbeddedText embed(String text) {
    TextChunker.Chunks chunks = chunker.chunk(text);
    return new EmbeddedText(chunks.chunks(), encoder.embed(chunks.chunks()), chunks.totalWindows());
  }

  /** Embeds several texts in one encoder call (offline evaluation, benchmark). */
  public List<EmbeddedText> embedAll(List<String> texts) {
    List<TextChunker.Chunks> chunked = texts.stream().map(chunker::chunk).toList();
    List<String> flat = chunked.stream().flatMap(c -> c.chunks().stream()).toList();
    float[][] vectors = encoder.embed(flat);
    ArrayList<EmbeddedText> out = new ArrayList<>(texts.size());
    int offset = 0;
    for (TextChunker.Chunks c : chunked) {
      float[][] mine = Arrays.copyOfRange(vectors, offset, offset + c.chunks().size());
      offset += c.chunks().size();
      out.add(new EmbeddedText(c.chunks(), mine, c.totalWindows()));
    }
    return out;
  }

  /** The best chunk's margin for one category. */
  public Match match(EmbeddedText text, CategoryPrototypes prototypes) {
    Match best = null;
    for (int c = 0; c < text.vectors().length; c++) {
      float[] chunk = text.vectors()[c];
      Prototype bestPos = null;
      double pos = Double.NEGATIVE_INFINITY;
      for (Prototype p : prototypes.positives()) {
        double s = Vectors.dot(chunk, p.vector());
        if (s > pos) {
          pos = s;
          bestPos = p;
        }
      }
      Prototype bestNeg = null;
      double neg = Double.NEGATIVE_INFINITY;
      for (Prototype p : prototypes.negatives()) {
        double s = Vectors.dot(chunk, p.vector());
        if (s > neg) {
          neg = s;
          bestNeg = p;
        }
      }
      double margin = pos - neg;
      if (best == null || margin > best.margin()) {
        best = new Match(margin, c, bestPos, pos, bestNeg, neg);
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("text has no chunks");
    }
    return best;
  }
}
