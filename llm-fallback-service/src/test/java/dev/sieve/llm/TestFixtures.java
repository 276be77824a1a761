package dev.sieve.llm;

import dev.sieve.llm.category.CatalogLoader;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.category.CategoryConfigException;
import dev.sieve.llm.embedded.Calibration;
import dev.sieve.llm.embedded.EmbeddingBackend;
import dev.sieve.llm.embedded.MiniLmSentenceEncoder;
import dev.sieve.llm.embedded.TextChunker;
import dev.sieve.llm.embedded.ZeroShotScorer;
import java.nio.file.Path;

/**
 * Shared, lazily created fixtures: the real MiniLM encoder (loaded once per test JVM, ~1 s) and the
 * shipped category catalog.
 */
public final class TestFixtures {

  /** The repository's category files (tests run in the module directory). */
  public static final Path CATEGORIES_DIR = Path.of("..", "config", "categories");

  private static ZeroShotScorer zeroShot;
  private static CategoryCatalog shipped;

  private TestFixtures() {}

  public static synchronized ZeroShotScorer zeroShot() {
    if (zeroShot == null) {
      zeroShot =
          new ZeroShotScorer(
              new MiniLmSentenceEncoder(), new TextChunker(MiniLmSentenceEncoder.MAX_WORDS, 12));
    }
    return zeroShot;
  }

  /** The encoder id without loading the model (for lineage checks). */
  public static String zeroShotEncoderId() {
    return MiniLmSentenceEncoder.ID;
  }

  public static EmbeddingBackend embedded(int maxInFlight) {
    return new EmbeddingBackend(zeroShot(), Calibration.none(), maxInFlight);
  }

  public static synchronized CategoryCatalog shippedCatalog() {
    if (shipped == null) {
      try {
        shipped = CatalogLoader.fromDirectory(CATEGORIES_DIR);
      } catch (CategoryConfigException e) {
        throw new IllegalStateException(e);
      }
    }
    return shipped;
  }
}
