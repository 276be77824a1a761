package dev.sieve.annotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplingTest {

  @Test
  void ppsProbabilitiesSumToTheSampleSizeAndFavourInformativeItems() {
    double[] w = {1.0, 0.5, 0.1, 0.0, 0.9, 0.3};
    double[] pi = Sampling.ppsProbabilities(w, 3);
    double sum = 0;
    for (double p : pi) {
      assertThat(p).isBetween(0.0, 1.0);
      sum += p;
    }
    assertThat(sum).isCloseTo(3.0, within(1e-9));
    assertThat(pi[0]).isGreaterThan(pi[1]).isGreaterThan(pi[2]);
    // The floor keeps every candidate possible: an unbiased estimate needs pi > 0 everywhere.
    assertThat(pi[3]).isGreaterThan(0);
  }

  @Test
  void ppsCapsAtOneAndRedistributes() {
    double[] pi = Sampling.ppsProbabilities(new double[] {100, 1, 1, 1}, 2);
    assertThat(pi[0]).isEqualTo(1.0);
    assertThat(pi[1] + pi[2] + pi[3]).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void ppsDrawMatchesItsProbabilitiesOnAverage() {
    List<Sampling.Candidate> c = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      c.add(new Sampling.Candidate("i" + i, i / 50.0, "s"));
    }
    Random random = new Random(7);
    Map<String, Integer> hits = new HashMap<>();
    int rounds = 4000;
    double expectedTotal = 0;
    for (int r = 0; r < rounds; r++) {
      for (Sampling.Drawn d : Sampling.pps(c, 10, random)) {
        hits.merge(d.id(), 1, Integer::sum);
      }
    }
    double[] w = new double[50];
    for (int i = 0; i < 50; i++) {
      w[i] = i / 50.0;
    }
    double[] pi = Sampling.ppsProbabilities(w, 10);
    for (int i = 0; i < 50; i++) {
      double observed = hits.getOrDefault("i" + i, 0) / (double) rounds;
      assertThat(observed).as("item %d", i).isCloseTo(pi[i], within(0.04));
      expectedTotal += pi[i];
    }
    assertThat(expectedTotal).isCloseTo(10, within(1e-9));
  }

  @Test
  void stratifiedSampleIsProportionalAndRecordsNhOverNh() {
    List<Sampling.Candidate> c = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      c.add(new Sampling.Candidate("a" + i, 0, "none"));
    }
    for (int i = 0; i < 20; i++) {
      c.add(new Sampling.Candidate("g" + i, 0, "gambling"));
    }
    List<Sampling.Drawn> d = Sampling.stratified(c, 10, new Random(1));
    assertThat(d).hasSize(10);
    assertThat(d.stream().filter(x -> x.id().startsWith("g")).count()).isEqualTo(2);
    assertThat(d)
        .allSatisfy(x -> assertThat(x.inclusionProbability()).isCloseTo(0.1, within(1e-9)));
  }

  @Test
  void uncertaintyMarginAndDisagreementRankWhatTheyShould() {
    assertThat(Sampling.uncertainty(Map.of("adult", 0.5))).isCloseTo(1.0, within(1e-9));
    assertThat(Sampling.uncertainty(Map.of("adult", 0.99, "violence", 0.01))).isLessThan(0.1);
    assertThat(Sampling.margin(Map.of("adult", 0.8, "sex_education", 0.78)))
        .isGreaterThan(Sampling.margin(Map.of("adult", 0.9, "sex_education", 0.1)));
    assertThat(
            Sampling.disagreement(
                Map.of("url", Map.of("gambling", 0.9), "content", Map.of("gambling", 0.2))))
        .isCloseTo(0.7, within(1e-9));
  }

  @Test
  void simhashFindsNearDuplicatesButNotDifferentTexts() {
    String a =
        "Free online casino games with real money bonuses for new players every single day of the week";
    String b =
        "Free online casino games with real money bonuses for new players every single day of the week!";
    String c =
        "The mitochondria is the powerhouse of the cell and produces energy through respiration in animals";
    assertThat(Sampling.nearDuplicate(Sampling.simhash(a), Sampling.simhash(b))).isTrue();
    assertThat(Sampling.nearDuplicate(Sampling.simhash(a), Sampling.simhash(c))).isFalse();
  }

  @Test
  void cohenKappaMatchesAHandComputedExample() {
    // Two annotators, 4 items, one category: (yes,yes) (yes,no) (no,no) (no,no).
    // p_o = 3/4; p_yes A = 1/2, B = 1/4; p_e = 1/2*1/4 + 1/2*3/4 = 1/2; kappa = (0.75-0.5)/0.5 =
    // 0.5.
    List<Agreement.Answer> answers =
        List.of(
            new Agreement.Answer("1", "a", Set.of("adult")),
                new Agreement.Answer("1", "b", Set.of("adult")),
            new Agreement.Answer("2", "a", Set.of("adult")),
                new Agreement.Answer("2", "b", Set.of()),
            new Agreement.Answer("3", "a", Set.of()), new Agreement.Answer("3", "b", Set.of()),
            new Agreement.Answer("4", "a", Set.of()), new Agreement.Answer("4", "b", Set.of()));
    var pairs = Agreement.cohenPerPair(answers, List.of("adult"));
    assertThat(pairs).hasSize(1);
    assertThat(pairs.get(0).kappa()).isCloseTo(0.5, within(1e-9));
    // Fleiss with two raters on a binary category: (P_bar - P_e)/(1 - P_e) with pooled p = 3/8:
    // P_bar = 3/4, P_e = (3/8)^2 + (5/8)^2 = 34/64; kappa = (48/64 - 34/64) / (30/64) = 14/30.
    var fleiss = Agreement.fleissPerCategory(answers, List.of("adult"));
    assertThat(fleiss.get(0).kappa()).isCloseTo(14.0 / 30, within(1e-9));
  }

  @Test
  void goldAccuracyCountsExactAnswers() {
    var acc =
        Agreement.goldAccuracy(
            List.of(
                new Agreement.Answer("g1", "a", Set.of("adult")),
                new Agreement.Answer("g2", "a", Set.of())),
            Map.of("g1", Set.of("adult"), "g2", Set.of("violence")));
    assertThat(acc.get(0).exactRate()).isEqualTo(0.5);
  }
}
