package dev.sieve.url.eval;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.Split;
import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import dev.sieve.eval.baseline.ExactListBaseline;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.scoring.PredictionSource;
import dev.sieve.eval.scoring.Predictions;
import dev.sieve.eval.scoring.TierBaseline;
import dev.sieve.eval.scoring.TierScorerSource;
import dev.sieve.url.UrlTierScorer;
import dev.sieve.url.model.LexicalUrlModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The url tier's own rows in its standard card, next to the standard's baselines: the model <em>as
 * deployed</em> (known-domain table of train+dev list hosts first, the model for everything else:
 * what the tier answers on a domain it has never seen, which the card's model-only numbers
 * isolate), and UT1's adult URL expressions, the keyword filter a school runs without a model.
 */
final class UrlCardBaselines {

  private UrlCardBaselines() {}

  static List<TierBaseline> of(LexicalUrlModel model, DatasetVersion dataset) {
    List<DomainRecord> known = new ArrayList<>();
    String test = Split.TEST.id();
    dataset.forEachDomain(
        r -> {
          if (!r.labels().isEmpty() && !test.equals(r.split())) {
            known.add(r);
          }
        });
    ExactListBaseline table = ExactListBaseline.fromRecords(known, "train+dev list hosts");
    PredictionSource modelOnly =
        new TierScorerSource(
            UrlTierScorer.modelProbabilities(model),
            "url-lexical model",
            Runtime.getRuntime().availableProcessors(),
            null);
    Ut1ExpressionBaseline ut1 = Ut1ExpressionBaseline.load();
    return List.of(
        new TierBaseline(
            "as_deployed",
            "Known-domain table ("
                + table.size()
                + " train+dev list hosts, host or"
                + " parent domain) first, then the model: the url tier as served, on domains it has not seen.",
            new MaxOf(table, modelOnly),
            true),
        new TierBaseline(
            "ut1_adult_expressions",
            "UT1's adult URL expressions ("
                + ut1.size()
                + " expressions, squidGuard-style match on host + path): adult only, a keyword filter without a model.",
            new Ut1Source(ut1)));
  }

  /** Per category, the larger of two sources' scores (no opinion in both stays no opinion). */
  private record MaxOf(PredictionSource first, PredictionSource second)
      implements PredictionSource {
    @Override
    public String describe() {
      return first.describe() + " then " + second.describe();
    }

    @Override
    public Predictions score(List<Example> examples, List<String> categories) {
      Predictions a = first.score(examples, categories);
      Predictions b = second.score(examples, categories);
      Map<String, double[]> out = new LinkedHashMap<>();
      for (String c : categories) {
        double[] x = a.scores().get(c);
        double[] y = b.scores().get(c);
        double[] m = new double[examples.size()];
        for (int i = 0; i < m.length; i++) {
          m[i] = Double.isNaN(x[i]) ? y[i] : Double.isNaN(y[i]) ? x[i] : Math.max(x[i], y[i]);
        }
        out.put(c, m);
      }
      List<Predictions.Rejected> rejected = new ArrayList<>(b.rejected());
      return new Predictions(Scores.of(out, examples.size()), rejected, Optional.empty());
    }

    @Override
    public void close() {
      first.close();
      second.close();
    }
  }

  /** 1.0 for adult when an expression matches the host, 0.0 otherwise; no opinion elsewhere. */
  private record Ut1Source(Ut1ExpressionBaseline ut1) implements PredictionSource {
    @Override
    public String describe() {
      return "UT1 adult expressions";
    }

    @Override
    public Predictions score(List<Example> examples, List<String> categories) {
      Map<String, double[]> out = new LinkedHashMap<>();
      for (String c : categories) {
        double[] v = new double[examples.size()];
        Arrays.fill(v, Double.NaN);
        if (c.equals("adult")) {
          for (int i = 0; i < v.length; i++) {
            Example e = examples.get(i);
            v[i] = DatasetExamples.isUrl(e) && ut1.matches(e.input() + "/") ? 1.0 : 0.0;
          }
        }
        out.put(c, v);
      }
      return new Predictions(Scores.of(out, examples.size()), List.of(), Optional.empty());
    }
  }
}
