package dev.sieve.content.bench;

import dev.sieve.content.extract.Chunk;
import dev.sieve.content.extract.ExtractedPage;
import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.content.extract.PageExtractor;
import dev.sieve.content.extract.PoisonPages;
import dev.sieve.content.extract.TextChunker;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Extraction cost of the issue #12 item 4 inputs: extraction + chunking (the work the content tier
 * does on the caller's thread before the encoder), median of a few runs after a warm-up. A timed
 * main, not a test: speed is recorded in docs/reliability.md, never asserted. Run with the test
 * class path (see docs/reliability.md, "Content tier under stress").
 */
public final class ExtractionCostBench {

  private ExtractionCostBench() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    PageExtractor extractor = new PageExtractor(ExtractionLimits.defaults());
    TextChunker chunker = new TextChunker(ExtractionLimits.defaults());
    System.out.printf(
        "%-28s %9s %9s %9s %7s  %s%n",
        "input", "bytes", "median_ms", "max_ms", "chunks", "truncated");
    for (Map.Entry<String, String> input : PoisonPages.ofIssue12().entrySet()) {
      String html = input.getValue();
      long[] millis = new long[runs];
      ExtractedPage page = null;
      List<Chunk> chunks = List.of();
      extractor.extractHtml(html); // warm-up
      for (int r = 0; r < runs; r++) {
        long start = System.nanoTime();
        page = extractor.extractHtml(html);
        chunks = chunker.chunk(page);
        millis[r] = (System.nanoTime() - start) / 1_000_000;
      }
      Arrays.sort(millis);
      System.out.printf(
          "%-28s %9d %9d %9d %7d  %s%n",
          input.getKey(),
          PoisonPages.utf8Bytes(html),
          millis[runs / 2],
          millis[runs - 1],
          chunks.size(),
          page.truncationReasons());
    }
  }
}
