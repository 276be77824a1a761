package dev.sieve.eval.baseline;

import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.scoring.PredictionSource;
import dev.sieve.eval.scoring.Predictions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The weighted-phrase baseline as a prediction source. Texts are scored as texts; a URL input is
 * scored on its host with dots and dashes as word breaks (all a phrase filter has before the page
 * is fetched). Categories without phrase lists get no opinion.
 */
public final class PhraseBaselineSource implements PredictionSource {

  private final WeightedPhraseScorer scorer;
  private final String description;

  public PhraseBaselineSource(WeightedPhraseScorer scorer, String description) {
    this.scorer = scorer;
    this.description = description;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Predictions score(List<Example> examples, List<String> categories) {
    int n = examples.size();
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String c : categories) {
      double[] v = new double[n];
      Arrays.fill(v, Double.NaN);
      out.put(c, v);
    }
    // The scorer is stateless per call, so items are scored in parallel (each writes its own slot).
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              Example e = examples.get(i);
              String text =
                  DatasetExamples.isUrl(e)
                      ? e.input().replace('.', ' ').replace('-', ' ')
                      : e.input();
              Map<String, Double> s = scorer.score(text);
              for (String c : categories) {
                Double v = s.get(c);
                if (v != null) {
                  out.get(c)[i] = v;
                }
              }
            });
    return new Predictions(Scores.of(out, n), List.of(), Optional.empty());
  }
}
