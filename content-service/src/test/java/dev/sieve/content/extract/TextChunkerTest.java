package dev.sieve.content.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextChunkerTest {

  private static ExtractedPage text(String body) {
    return new ExtractedPage("text", "", "", "", "", body, "", "", "en", List.of());
  }

  private static String words(String prefix, int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : " ").append(prefix).append(i);
    }
    return out.toString();
  }

  @Test
  void splitsIntoChunksOfAtMostTheWordCount() {
    List<Chunk> chunks = new TextChunker(10, 100).chunk(text(words("w", 25)));
    assertThat(chunks).extracting(Chunk::words).containsExactly(10, 10, 5);
    assertThat(chunks.get(0).text()).isEqualTo(words("w", 10));
    assertThat(chunks.get(2).text()).isEqualTo("w20 w21 w22 w23 w24");
    assertThat(chunks).extracting(Chunk::index).containsExactly(0, 1, 2);
    assertThat(chunks).extracting(Chunk::section).containsOnly("body");
  }

  @Test
  void capsChunksPerPage() {
    TextChunker chunker = new TextChunker(10, 4);
    ExtractedPage page = text(words("w", 1000));
    assertThat(chunker.chunk(page)).hasSize(4);
    assertThat(chunker.uncappedChunkCount(page)).isEqualTo(100);
  }

  @Test
  void headerAndLinksKeepTheirShareOfALongPage() {
    ExtractedPage page =
        new ExtractedPage(
            "html",
            "Casino Royale",
            "Best slots online",
            "",
            "",
            words("body", 500),
            "Poker Slots Betting",
            "",
            "en",
            List.of());
    List<Chunk> chunks = new TextChunker(10, 6).chunk(page);
    assertThat(chunks).hasSize(6);
    assertThat(chunks.get(0).section()).isEqualTo("header");
    assertThat(chunks.get(0).text()).isEqualTo("Casino Royale. Best slots online");
    assertThat(chunks.get(5).section()).isEqualTo("links");
    assertThat(chunks.get(5).text()).isEqualTo("Poker Slots Betting");
    assertThat(chunks.subList(1, 5)).extracting(Chunk::section).containsOnly("body");
  }

  @Test
  void shortBodyLeavesBudgetToHeader() {
    ExtractedPage page =
        new ExtractedPage("html", words("t", 50), "", "", "", "tiny body", "", "", "en", List.of());
    List<Chunk> chunks = new TextChunker(10, 8).chunk(page);
    assertThat(chunks)
        .extracting(Chunk::section)
        .containsExactly("header", "header", "header", "header", "header", "body");
  }

  @Test
  void overlongTokensAreCut() {
    String blob = "x".repeat(5000);
    List<Chunk> chunks = new TextChunker(10, 4).chunk(text("before " + blob + " after"));
    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).text())
        .isEqualTo("before " + "x".repeat(TextChunker.MAX_WORD_CHARS) + " after");
  }

  @Test
  void emptyPageHasNoChunks() {
    assertThat(new TextChunker(10, 4).chunk(text(""))).isEmpty();
  }
}
