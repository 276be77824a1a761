package dev.sieve.content.train;

import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.content.extract.PageExtractor;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.Split;
import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import dev.sieve.eval.scoring.PredictionSource;
import dev.sieve.eval.scoring.Predictions;
import dev.sieve.eval.scoring.TierBaseline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The content tier's own baseline in its standard model card: {@link HashedNgramLogistic} trained
 * on the dataset's train split with the head's class weights, on the extractor's text. It answers
 * the card reader's question "what does the frozen encoder buy over lexical features learnt from
 * the same data?" on the evaluated split, next to the standard's phrase-list baseline.
 *
 * <p>Training happens on the first {@link #score} call, for the categories asked (seconds on the
 * train texts; never dev or test).
 */
public final class NgramBaselineSource implements PredictionSource {

  private final DatasetVersion dataset;
  private final PageExtractor extractor = new PageExtractor(ExtractionLimits.defaults());
  private List<String> fittedFor;
  private HashedNgramLogistic model;

  NgramBaselineSource(DatasetVersion dataset) {
    this.dataset = dataset;
  }

  /** The baseline as the eval module's ScorerProvider offers it. */
  public static TierBaseline baseline(DatasetVersion dataset) {
    HashedNgramLogistic.Params p = HashedNgramLogistic.Params.defaults();
    return new TierBaseline(
        "hashed_ngram_logistic",
        "Per-category logistic regression over hashed word unigrams + bigrams (2^"
            + p.hashBits()
            + " buckets, sublinear tf x idf, AdaGrad, "
            + p.epochs()
            + " epochs), trained in Java on the "
            + dataset.id()
            + " train split with the head's class weights.",
        new NgramBaselineSource(dataset));
  }

  @Override
  public String describe() {
    return "hashed n-gram logistic regression trained on " + dataset.id() + " train";
  }

  @Override
  public synchronized Predictions score(List<Example> examples, List<String> categories) {
    if (!categories.equals(fittedFor)) {
      fit(categories);
    }
    int n = examples.size();
    double[][] rows = new double[n][];
    IntStream.range(0, n)
        .parallel()
        .forEach(i -> rows[i] = model.predict(text(examples.get(i).input())));
    Map<String, double[]> out = new LinkedHashMap<>();
    for (int k = 0; k < categories.size(); k++) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = rows[i][k];
      }
      out.put(categories.get(k), v);
    }
    return new Predictions(Scores.of(out, n), List.of(), Optional.empty());
  }

  private void fit(List<String> categories) {
    List<TextExample> train = new ArrayList<>();
    String trainSplit = Split.TRAIN.id();
    dataset.forEachText(
        r -> {
          if (trainSplit.equals(r.split()) && !r.labelScope().isEmpty()) {
            train.add(TextExample.of(r));
          }
        });
    HashedNgramLogistic m = new HashedNgramLogistic(HashedNgramLogistic.Params.defaults());
    m.fit(
        train.stream().map(t -> text(t.text())).toList(),
        LabelMatrix.of(train, categories, ContentTrainer.positiveWeights(train, categories)));
    model = m;
    fittedFor = List.copyOf(categories);
  }

  private String text(String raw) {
    return extractor.extractText(raw).body();
  }
}
