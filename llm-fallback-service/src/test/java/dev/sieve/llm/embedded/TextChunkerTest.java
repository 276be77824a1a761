package dev.sieve.llm.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TextChunkerTest {

  private static String words(int n) {
    return IntStream.range(0, n).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
  }

  @Test
  void aLongRunWithoutSentenceEndsIsCutIntoEqualWindowsWithinTheLimit() {
    TextChunker.Chunks chunks = new TextChunker(80, 12).chunk(words(170));
    assertThat(chunks.chunks()).hasSize(3);
    assertThat(chunks.chunks()).allSatisfy(c -> assertThat(c.split(" ")).hasSizeBetween(56, 57));
    assertThat(String.join(" ", chunks.chunks())).isEqualTo(words(170));
    assertThat(chunks.sampled()).isFalse();
  }

  @Test
  void wholeSentencesArePackedAndNeverSplitAcrossChunks() {
    String sentence = "This sentence has exactly eight words in it.";
    String text =
        (sentence + " ").repeat(5) + "Casino slots bonus now! " + (sentence + " ").repeat(2);
    TextChunker.Chunks chunks = new TextChunker(20, 12).chunk(text);
    assertThat(chunks.chunks())
        .allSatisfy(c -> assertThat(c.split(" ").length).isLessThanOrEqualTo(20));
    assertThat(chunks.chunks())
        .filteredOn(c -> c.contains("Casino"))
        .singleElement()
        .satisfies(c -> assertThat(c).contains("Casino slots bonus now!"));
    assertThat(String.join(" ", chunks.chunks())).isEqualTo(text.strip());
  }

  @Test
  void longTextsAreSampledEvenlyIncludingFirstAndLastChunk() {
    TextChunker.Chunks chunks = new TextChunker(10, 4).chunk(words(200));
    assertThat(chunks.totalWindows()).isEqualTo(20);
    assertThat(chunks.chunks()).hasSize(4);
    assertThat(chunks.chunks().get(0)).startsWith("w0 ");
    assertThat(chunks.chunks().get(3)).endsWith("w199");
    assertThat(chunks.sampled()).isTrue();
  }

  @Test
  void blankTextHasNoChunks() {
    assertThat(new TextChunker(80, 12).chunk("   ").chunks()).isEmpty();
  }
}
