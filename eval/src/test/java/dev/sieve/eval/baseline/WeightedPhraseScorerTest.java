package dev.sieve.eval.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sieve.core.data.DomainRecord;
import dev.sieve.eval.Example;
import dev.sieve.eval.Fixtures;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.data.ProtectedSlices;
import dev.sieve.eval.scoring.Predictions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The e2guardian-style scorer on a tiny fixture phrase list (no e2guardian package needed). */
class WeightedPhraseScorerTest {

  static Path fixture() {
    return Fixtures.phraseLists();
  }

  @Test
  void sumsWeightsPerCategoryWithWordBoundariesCombinationsAndGoodPhrases() {
    WeightedPhraseScorer s = WeightedPhraseScorer.loadE2guardian(fixture(), 50);
    assertThat(s.categories()).containsExactly("adult", "gambling");
    // "casino" 30 + "jackpot" 20 = 50 = the limit
    assertThat(s.sums("Best CASINO, biggest jackpot!")).containsEntry("gambling", 50);
    assertThat(s.score("Best CASINO, biggest jackpot!").get("gambling")).isEqualTo(0.5);
    // word boundary: "casinos" is not " casino "
    assertThat(s.sums("casinos everywhere")).containsEntry("gambling", 0);
    // combination needs both parts; "bet" alone is nothing
    assertThat(s.sums("place a bet")).containsEntry("gambling", 0);
    assertThat(s.sums("place a bet on poker")).containsEntry("gambling", 40);
    // percentage weight: 10% of 50 = 5; no boundary on <roulette> so "roulettewheel" counts
    assertThat(s.sums("roulettewheel")).containsEntry("gambling", 5);
    // .Include followed
    assertThat(s.sums("the sportsbook")).containsEntry("gambling", 25);
    // each phrase counts once per page
    assertThat(s.sums("casino casino casino")).containsEntry("gambling", 30);
    // good phrases subtract from every category, and the score never goes below 0
    assertThat(s.sums("casino education"))
        .containsEntry("gambling", -10)
        .containsEntry("adult", -40);
    assertThat(s.score("casino education").get("gambling")).isEqualTo(0.0);
    assertThat(s.sums("breast cancer awareness, nude")).containsEntry("adult", 0);
    assertThat(s.score("xxx").get("adult")).isCloseTo(0.5, within(1e-12));
    assertThat(s.size()).isEqualTo(9); // banned (unweighted) lists are ignored
  }

  @Test
  void parsesE2guardianSyntaxAndSkipsNonWeightedLines() {
    var entries =
        WeightedPhraseScorer.parse(
            List.of(
                "# comment", "", "< a b >,<c><10>", "<d><x>", "<only-one>", "<e><-5>", "<f><0>"),
            "hate",
            50,
            null);
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).parts()).containsExactly(" a b ", "c");
    assertThat(entries.get(1).weight()).isEqualTo(-5);
  }

  @Test
  void missingListsAreAClearError() {
    assertThatThrownBy(() -> WeightedPhraseScorer.loadE2guardian(Path.of("/nonexistent"), 50))
        .hasMessageContaining("no e2guardian weighted phrase lists");
  }

  @Test
  void baselineSourceScoresHostsAsWordsAndTexts() {
    WeightedPhraseScorer s = WeightedPhraseScorer.loadE2guardian(fixture(), 50);
    Example host =
        DatasetExamples.fromDomain(
            new DomainRecord(
                "best-casino.jackpot.example",
                "jackpot.example",
                List.of("gambling"),
                List.of("gambling"),
                Map.of(),
                "test",
                List.of(),
                0),
            false,
            ProtectedSlices.none());
    Example text = Example.of("t", "test", List.of(), List.of("*"));
    Predictions p =
        new PhraseBaselineSource(s, "fixture")
            .score(List.of(host, text), List.of("gambling", "weapons"));
    assertThat(p.scores().get("gambling")[0]).isEqualTo(0.5);
    assertThat(p.scores().get("weapons")[0]).isNaN(); // no phrase list: no opinion
  }

  @Test
  void exactListLooksUpHostAndParents() {
    ExactListBaseline b =
        ExactListBaseline.fromRecords(
            List.of(
                new DomainRecord(
                    "casino.example",
                    "casino.example",
                    List.of("gambling"),
                    List.of("gambling"),
                    Map.of(),
                    "train",
                    List.of(),
                    0)),
            "fixture");
    assertThat(b.lookup("www.casino.example")).containsExactly("gambling");
    assertThat(b.lookup("example")).isEmpty();
    assertThat(b.lookup("other.example")).isEmpty();
  }
}
