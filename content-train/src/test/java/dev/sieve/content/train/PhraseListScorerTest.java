package dev.sieve.content.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** e2guardian list semantics on a hand-written fixture list (tests never need the package). */
class PhraseListScorerTest {

  @Test
  void parsesWeightedLinesAndCombinations() {
    PhraseListScorer.Phrase single = PhraseListScorer.parse("< casino ><30>");
    assertThat(single.parts()).containsExactly(" casino ");
    assertThat(single.weight()).isEqualTo(30);
    PhraseListScorer.Phrase combo = PhraseListScorer.parse("< bet >,<poker><40>");
    assertThat(combo.parts()).containsExactly(" bet ", "poker");
    assertThat(PhraseListScorer.parse("<School><-20>").weight()).isEqualTo(-20);
    assertThat(PhraseListScorer.parse("#listcategory: \"Gambling\"")).isNull();
    assertThat(PhraseListScorer.parse(".Include</etc/x>")).isNull();
    assertThat(PhraseListScorer.parse("")).isNull();
  }

  @Test
  void scoresOncePerPhraseWithWordBoundariesAndGoodPhrases(@TempDir Path tmp) throws Exception {
    PhraseListScorer scorer = PhraseListScorer.load(ContentTrainerTest.writePhraseLists(tmp));
    List<String> categories = List.of("gambling", "adult");
    // " casino " twice counts once (mode 2); "poker" matches inside "videopoker"; punctuation is a
    // boundary.
    double[] s = scorer.score("Casino, casino and videopoker!", categories);
    assertThat(s[0]).isEqualTo(70);
    assertThat(s[1]).isNaN();
    // "casinos" is not " casino "; the combination needs both parts.
    assertThat(scorer.score("casinos jackpot", categories)[0]).isEqualTo(0);
    assertThat(scorer.score("win the jackpot", categories)[0]).isEqualTo(30);
    // Good phrases lower the total.
    assertThat(scorer.score("students at the casino", categories)[0]).isEqualTo(10);
  }
}
