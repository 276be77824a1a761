package dev.sieve.eval.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.card.ModelCardGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A synthetic population whose answer is known, labelled by uncertainty sampling: 4000 served
 * verdicts; gambling decided on 400 of them of which 200 are truly gambling, and 100 more gambling
 * items not decided (precision 0.5, recall 0.667); news decided on 300 with 285 true and 15 missed
 * (precision and recall 0.95). Decided items are drawn for labelling with p = 0.5, the others with
 * p = 0.25. Weighted by 1/p the estimates recover the population; unweighted, gambling's recall
 * would read about 0.8. Against a card saying 0.95 / 0.9 for gambling and 0.95 / 0.95 for news,
 * gambling's gap is significant and news's is not.
 */
class OnlineEvaluationTest {

  @TempDir Path dir;

  private record Population(Path verdicts, Path labels) {}

  private Population population() throws IOException {
    List<String> verdicts = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 4000; i++) {
      boolean gamblingDecided = i < 400;
      boolean gamblingTrue = gamblingDecided ? i % 2 == 0 : i >= 400 && i < 500;
      boolean newsDecided = i >= 1000 && i < 1300;
      boolean newsTrue = newsDecided ? i < 1285 : i >= 2000 && i < 2015;
      String url = "https://site" + i + ".example/";
      verdicts.add(
          String.format(
              Locale.ROOT,
              "{\"id\":%d,\"url\":\"%s\",\"input\":\"url_only\",\"categories\":{"
                  + "\"gambling\":{\"score\":%s,\"decision\":%s},\"news\":{\"score\":%s,\"decision\":%s}},\"degraded\":false}",
              i,
              url,
              gamblingDecided ? "0.8" : "0.1",
              gamblingDecided,
              newsDecided ? "0.8" : "0.1",
              newsDecided));
      double p = gamblingDecided || newsDecided ? 0.5 : 0.25;
      if (random.nextDouble() < p) {
        List<String> truth = new ArrayList<>();
        if (gamblingTrue) {
          truth.add("\"gambling\"");
        }
        if (newsTrue) {
          truth.add("\"news\"");
        }
        labels.add(
            String.format(
                Locale.ROOT,
                "{\"url\":\"%s\",\"categories\":[%s],\"p\":%s}",
                url,
                String.join(",", truth),
                p));
      }
    }
    labels.add("{\"url\":\"https://never-served.example/\",\"categories\":[],\"p\":1}");
    verdicts.add(
        "{\"id\":9999,\"url\":\"https://down.example/\",\"error\":{\"code\":\"UNAVAILABLE\"}}");
    Path v = Files.write(dir.resolve("verdicts.jsonl"), verdicts);
    Path l = Files.write(dir.resolve("labels.jsonl"), labels);
    return new Population(v, l);
  }

  @Test
  void weightsRecoverThePopulationAndTheGapIsNamed() throws IOException {
    Population pop = population();
    Map<String, OnlineEvaluation.Offline> card =
        Map.of(
            "gambling",
            new OnlineEvaluation.Offline(0.95, 0.9),
            "news",
            new OnlineEvaluation.Offline(0.95, 0.95));
    OnlineEvaluation e = OnlineEvaluation.of(pop.verdicts(), pop.labels(), card);
    assertThat(e.unmatched()).isEqualTo(1);
    OnlineEvaluation.Row gambling = row(e, "gambling");
    assertThat(gambling.precisionCi().lower()).isLessThan(0.5);
    assertThat(gambling.precisionCi().upper()).isGreaterThan(0.5);
    assertThat(gambling.recallCi().lower())
        .as("population recall 0.667 inside")
        .isLessThan(2 / 3.0);
    assertThat(gambling.recallCi().upper())
        .isGreaterThan(2 / 3.0)
        .as("unweighted ~0.8 outside")
        .isLessThan(0.8);
    assertThat(gambling.precisionGap()).isTrue();
    assertThat(gambling.recallGap()).isTrue();
    OnlineEvaluation.Row news = row(e, "news");
    assertThat(news.precisionCi().lower()).isLessThan(0.95);
    assertThat(news.precisionCi().upper()).isGreaterThan(0.95);
    assertThat(news.significant()).isFalse();
    assertThat(e.significantGaps()).containsExactly("gambling");
    assertThat(e.markdown("v", "l", "card"))
        .contains("Significant gaps: gambling")
        .contains("| news |");
  }

  @Test
  void offlineNumbersComeFromTheReleasedFleetCard() throws IOException {
    Path fleet = Path.of(System.getProperty("user.dir")).getParent().resolve("models/sieve-fleet");
    ModelCard card =
        ModelCardGenerator.read(
            fleet
                .resolve(Files.readString(fleet.resolve("RELEASED")).strip())
                .resolve(ModelCard.JSON));
    Map<String, OnlineEvaluation.Offline> offline = OnlineEvaluation.offline(card);
    assertThat(offline).containsKey("gambling");
    assertThat(offline.get("gambling").precision()).isBetween(0.0, 1.0);
  }

  @Test
  void anInclusionProbabilityOutsideItsRangeIsRefusedWithTheLine() throws IOException {
    Path v =
        Files.writeString(dir.resolve("v.jsonl"), "{\"id\":1,\"url\":\"u\",\"categories\":{}}\n");
    Path l =
        Files.writeString(dir.resolve("l.jsonl"), "{\"url\":\"u\",\"categories\":[],\"p\":0}\n");
    assertThatThrownBy(() -> OnlineEvaluation.of(v, l, Map.of()))
        .hasMessageContaining("line 1: p must be in (0, 1]");
  }

  private static OnlineEvaluation.Row row(OnlineEvaluation e, String category) {
    return e.rows().stream().filter(r -> r.category().equals(category)).findFirst().orElseThrow();
  }
}
