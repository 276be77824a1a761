package dev.sieve.eval.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.sieve.eval.card.ShadowDocument;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A synthetic disagreement file whose answer is known: 1000 comparisons, of which 100 flip gambling
 * (60 towards the candidate) and 900 agree; only 1 in 10 agreements is logged (log_p 0.1), so the
 * weighted estimate must recover 1000 comparisons and a 10% flip rate, where the raw lines would
 * say 100 / 190 = 53%.
 */
public class ShadowAnalysisTest {

  private static String line(
      String host, double serving, double candidate, boolean flip, double logP) {
    return String.format(
        Locale.ROOT,
        "{\"ts\":\"2026-12-07T00:00:00Z\",\"tier\":\"content\",\"mode\":\"shadow\","
            + "\"served_by\":\"serving\",\"host\":\"%s\",\"serving_model\":\"m@1\",\"candidate_model\":\"m@2\","
            + "\"serving\":{\"gambling\":%.2f,\"news\":0.1},\"candidate\":{\"gambling\":%.2f,\"news\":0.1},"
            + "\"thresholds\":{\"gambling\":0.5,\"news\":0.5},\"flips\":[%s],\"opinion_only\":[],\"max_abs_delta\":0.1,"
            + "\"log_p\":%s}",
        host,
        serving,
        candidate,
        flip ? "\"gambling\"" : "",
        Double.toString(logP));
  }

  public static String syntheticFile() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      sb.append(line("casino" + (i % 3) + ".example", 0.3, 0.7, true, 1.0)).append('\n');
    }
    for (int i = 0; i < 40; i++) {
      sb.append(line("cards.example", 0.6, 0.4, true, 1.0)).append('\n');
    }
    for (int i = 0; i < 90; i++) {
      sb.append(line("news.example", 0.1, 0.12, false, 0.1)).append('\n');
    }
    sb.append("not json\n");
    return sb.toString();
  }

  @Test
  void weightsRecoverTheFlipRateOfAllComparisons() throws Exception {
    ShadowAnalysis a =
        ShadowAnalysis.of(new BufferedReader(new StringReader(syntheticFile())), "synthetic");
    assertThat(a.lines()).isEqualTo(190);
    assertThat(a.malformed()).isEqualTo(1);
    assertThat(a.estimatedComparisons()).isCloseTo(1000, offset(1e-6));
    assertThat(a.anyFlipRate()).isCloseTo(0.10, offset(1e-9));
    ShadowAnalysis.Row gambling = a.rows().get(0);
    assertThat(gambling.category()).isEqualTo("gambling");
    assertThat(gambling.flips()).isEqualTo(100);
    assertThat(gambling.candidateOnly()).isEqualTo(60);
    assertThat(gambling.servingOnly()).isEqualTo(40);
    assertThat(gambling.flipRate()).isCloseTo(0.10, offset(1e-9));
    // Kish effective size: 1000^2 / (100 + 90 * 10^2) = 109.9; Wilson at 0.1 over 109.9 = [0.0567,
    // 0.1703],
    // wider than 1000 unweighted comparisons would give ([0.083, 0.120]): the sampled agreements
    // cost precision.
    assertThat(gambling.interval().lower()).isCloseTo(0.0567, offset(0.001));
    assertThat(gambling.interval().upper()).isCloseTo(0.1703, offset(0.001));
    assertThat(gambling.hosts().get(0)).isEqualTo("cards.example (40)");
    assertThat(a.needingExplanation()).containsExactly("gambling");
    ShadowAnalysis.Row news = a.rows().get(1);
    assertThat(news.flips()).isZero();
    assertThat(news.meanAbsDelta()).isCloseTo(0.0, offset(1e-9));
    assertThat(ShadowDocument.markdown(a))
        .contains("| gambling |")
        .contains("Needs an explanation: gambling");
    assertThat(ShadowDocument.html(a)).contains("<svg");
  }
}
