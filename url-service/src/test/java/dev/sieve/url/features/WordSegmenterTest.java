package dev.sieve.url.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WordSegmenterTest {

  private static final Vocabulary VOCABULARY =
      Vocabulary.fromCounts(
          Map.ofEntries(
              Map.entry("free", 500L),
              Map.entry("casino", 200L),
              Map.entry("bonus", 150L),
              Map.entry("poker", 120L),
              Map.entry("stars", 90L),
              Map.entry("star", 95L),
              Map.entry("online", 300L),
              Map.entry("games", 250L),
              Map.entry("videos", 80L),
              Map.entry("best", 400L),
              Map.entry("buy", 100L),
              Map.entry("x", 10_000L)),
          1,
          1000);

  private final WordSegmenter segmenter = new WordSegmenter(VOCABULARY);

  @Test
  void splitsConcatenatedWords() {
    assertThat(segmenter.segment("freecasinobonus")).containsExactly("free", "casino", "bonus");
    assertThat(segmenter.segment("pokerstars")).containsExactly("poker", "stars");
    assertThat(segmenter.segment("bestbuy")).containsExactly("best", "buy");
    assertThat(segmenter.segment("onlinegames")).containsExactly("online", "games");
  }

  @Test
  void unknownLettersBecomeOneChunk() {
    assertThat(segmenter.segment("xqzvideos")).containsExactly("xqz", "videos");
    assertThat(segmenter.segment("casinoqwrtz")).containsExactly("casino", "qwrtz");
    assertThat(segmenter.segment("qwrtz")).containsExactly("qwrtz");
  }

  @Test
  void singleLettersAreNeverVocabularyWords() {
    assertThat(VOCABULARY.counts()).doesNotContainKey("x");
    assertThat(segmenter.contains("casino")).isTrue();
    assertThat(segmenter.contains("casin")).isFalse();
  }

  @Test
  void emptyVocabularyLeavesRunsWhole() {
    WordSegmenter none = new WordSegmenter(Vocabulary.empty());
    assertThat(none.segment("freecasinobonus")).containsExactly("freecasinobonus");
  }
}
