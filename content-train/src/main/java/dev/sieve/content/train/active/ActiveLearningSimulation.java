package dev.sieve.content.train.active;

import dev.sieve.content.model.NgramFeaturizer;
import dev.sieve.content.train.TextExample;
import dev.sieve.core.metrics.BinaryMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Does active learning beat random sampling on Sieve's own data? A simulation (issue #14): the
 * train split's labels are hidden, a sampler asks for them in batches, a cheap model is retrained
 * after every batch, and its dev metrics are recorded at equal label budgets for each strategy and
 * seed.
 *
 * <p>The model is the content tier's lexical baseline in miniature: hashed word unigrams and
 * bigrams ({@link NgramFeaturizer}, the serving featurizer) with sublinear tf x idf (idf from the
 * whole pool's texts, which needs no labels), one logistic regression per category trained with
 * AdaGrad on the masked, class-weighted objective of {@code HashedNgramLogistic}: an item's labels
 * only speak for the categories in its label scope (a Davidson tweet is labelled for hate only).
 * Asking for an item's label reveals its labels and scope, exactly what the dataset knows about it.
 *
 * <p>Strategies: {@code random} (uniform over the unlabelled pool), {@code uncertainty} (margin
 * sampling: the items whose most uncertain category is closest to p = 0.5), and {@code mixed} (half
 * uncertainty, half random, the unbiased share the annotation app keeps). Every strategy starts
 * from the same random seed set for a given seed, so curves differ only by what the strategy asked
 * for.
 */
public final class ActiveLearningSimulation {

  /** What to simulate. */
  public record Params(
      List<String> strategies,
      int seedSetSize,
      int batchSize,
      int budget,
      int seeds,
      int hashBits,
      int epochs,
      double learningRate,
      double l2,
      double maxPositiveWeight,
      int threads,
      long baseSeed) {
    public static Params defaults() {
      return new Params(
          List.of("random", "uncertainty", "mixed"),
          400,
          400,
          4000,
          8,
          18,
          6,
          0.5,
          1e-6,
          50,
          2,
          20261207L);
    }
  }

  /** Dev metrics of one strategy and seed at one budget. */
  public record Point(
      String strategy,
      int seed,
      int labels,
      double macroAp,
      double macroF1,
      double[] apPerCategory) {}

  /** The simulation's outcome. */
  public record Result(
      List<String> categories,
      int poolSize,
      int devSize,
      int[] devPositives,
      List<Point> points,
      double fullPoolMacroAp,
      double fullPoolMacroF1,
      double seconds) {}

  private final List<String> categories;
  private final Params params;
  private final NgramFeaturizer.Sparse[] pool;
  private final float[][] poolTarget;
  private final boolean[][] poolInScope;
  private final NgramFeaturizer.Sparse[] dev;
  private final int[][] devLabels;
  private final boolean[][] devInScope;
  private final int size;

  /**
   * @param train the pool whose labels are hidden
   * @param devSet where every model is measured
   * @param categories the categories measured (each needs positives in both)
   */
  public ActiveLearningSimulation(
      List<TextExample> train, List<TextExample> devSet, List<String> categories, Params params) {
    this.categories = List.copyOf(categories);
    this.params = params;
    NgramFeaturizer featurizer = new NgramFeaturizer(params.hashBits());
    this.size = featurizer.size();
    int[] df = new int[size];
    for (TextExample e : train) {
      for (int bucket : featurizer.termCounts(e.text()).keySet()) {
        df[bucket]++;
      }
    }
    float[] idf = new float[size];
    for (int i = 0; i < size; i++) {
      idf[i] = (float) (Math.log((train.size() + 1.0) / (df[i] + 1.0)) + 1.0);
    }
    int k = categories.size();
    pool = new NgramFeaturizer.Sparse[train.size()];
    poolTarget = new float[train.size()][k];
    poolInScope = new boolean[train.size()][k];
    for (int i = 0; i < train.size(); i++) {
      TextExample e = train.get(i);
      pool[i] = featurizer.features(e.text(), idf);
      for (int c = 0; c < k; c++) {
        poolInScope[i][c] = e.inScope(categories.get(c));
        poolTarget[i][c] = e.positive(categories.get(c)) ? 1f : 0f;
      }
    }
    dev = new NgramFeaturizer.Sparse[devSet.size()];
    devLabels = new int[k][devSet.size()];
    devInScope = new boolean[k][devSet.size()];
    for (int i = 0; i < devSet.size(); i++) {
      TextExample e = devSet.get(i);
      dev[i] = featurizer.features(e.text(), idf);
      for (int c = 0; c < k; c++) {
        devInScope[c][i] = e.inScope(categories.get(c));
        devLabels[c][i] = e.positive(categories.get(c)) ? 1 : 0;
      }
    }
  }

  public Result run() throws Exception {
    long start = System.nanoTime();
    List<Point> points = new ArrayList<>();
    ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, params.threads()));
    try {
      List<Future<List<Point>>> runs = new ArrayList<>();
      for (int s = 0; s < params.seeds(); s++) {
        for (String strategy : params.strategies()) {
          int seed = s;
          runs.add(executor.submit(() -> simulate(strategy, seed)));
        }
      }
      Future<double[]> full =
          executor.submit(
              () -> {
                int[] all = new int[pool.length];
                Arrays.setAll(all, i -> i);
                Model model = fit(all, all.length, new Random(params.baseSeed()));
                return evaluate(model);
              });
      for (Future<List<Point>> run : runs) {
        points.addAll(run.get());
      }
      double[] fullMetrics = full.get();
      int[] devPositives = new int[categories.size()];
      for (int c = 0; c < categories.size(); c++) {
        for (int i = 0; i < dev.length; i++) {
          devPositives[c] += devInScope[c][i] ? devLabels[c][i] : 0;
        }
      }
      return new Result(
          categories,
          pool.length,
          dev.length,
          devPositives,
          points,
          fullMetrics[0],
          fullMetrics[1],
          (System.nanoTime() - start) / 1e9);
    } finally {
      executor.shutdownNow();
    }
  }

  /** One learning curve: seed set, then batches chosen by {@code strategy} until the budget. */
  List<Point> simulate(String strategy, int seedIndex) {
    long seed = params.baseSeed() + 7919L * seedIndex;
    Random seedRandom = new Random(seed);
    Random strategyRandom = new Random(seed ^ strategy.hashCode());
    int[] order = new int[pool.length];
    Arrays.setAll(order, i -> i);
    shuffle(order, seedRandom);
    int[] labelled = new int[Math.min(params.budget(), pool.length)];
    BitSet taken = new BitSet(pool.length);
    int n = Math.min(params.seedSetSize(), labelled.length);
    for (int i = 0; i < n; i++) {
      labelled[i] = order[i];
      taken.set(order[i]);
    }
    List<Point> points = new ArrayList<>();
    while (true) {
      Model model = fit(labelled, n, new Random(seed + n));
      double[] metrics = evaluate(model);
      points.add(
          new Point(
              strategy,
              seedIndex,
              n,
              metrics[0],
              metrics[1],
              Arrays.copyOfRange(metrics, 2, metrics.length)));
      if (n >= labelled.length) {
        return points;
      }
      int batch = Math.min(params.batchSize(), labelled.length - n);
      int[] chosen =
          switch (strategy) {
            case "random" -> randomPick(taken, batch, strategyRandom);
            case "uncertainty" -> uncertainPick(model, taken, batch);
            case "mixed" -> mixedPick(model, taken, batch, strategyRandom);
            default ->
                throw new IllegalArgumentException(
                    "unknown strategy '" + strategy + "' (random, uncertainty, mixed)");
          };
      for (int index : chosen) {
        labelled[n++] = index;
        taken.set(index);
      }
    }
  }

  private int[] mixedPick(Model model, BitSet taken, int batch, Random random) {
    int half = batch / 2;
    int[] uncertain = uncertainPick(model, taken, half);
    BitSet now = (BitSet) taken.clone();
    for (int index : uncertain) {
      now.set(index);
    }
    int[] rest = randomPick(now, batch - half, random);
    int[] out = Arrays.copyOf(uncertain, batch);
    System.arraycopy(rest, 0, out, half, rest.length);
    return out;
  }

  private int[] randomPick(BitSet taken, int batch, Random random) {
    int[] free = new int[pool.length - taken.cardinality()];
    int f = 0;
    for (int i = taken.nextClearBit(0); i < pool.length; i = taken.nextClearBit(i + 1)) {
      free[f++] = i;
    }
    int count = Math.min(batch, f);
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(f - i);
      int t = free[i];
      free[i] = free[j];
      free[j] = t;
    }
    return Arrays.copyOf(free, count);
  }

  /**
   * The {@code batch} unlabelled items whose most uncertain category is closest to 0.5 (margin).
   */
  private int[] uncertainPick(Model model, BitSet taken, int batch) {
    int free = pool.length - taken.cardinality();
    long[] keyed = new long[free];
    int f = 0;
    for (int i = taken.nextClearBit(0); i < pool.length; i = taken.nextClearBit(i + 1)) {
      double margin = 1;
      for (int c = 0; c < categories.size(); c++) {
        margin = Math.min(margin, Math.abs(model.probability(c, pool[i]) - 0.5));
      }
      // sort key: margin in the high bits (non-negative float bits order like the floats), index
      // low
      keyed[f++] = ((long) Float.floatToIntBits((float) margin) << 32) | i;
    }
    Arrays.sort(keyed, 0, f);
    int count = Math.min(batch, f);
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = (int) (keyed[i] & 0xffffffffL);
    }
    return out;
  }

  /** Per-category logistic regressions over the hashed features. */
  final class Model {
    final float[][] weights = new float[categories.size()][size];
    final float[] bias = new float[categories.size()];

    double probability(int c, NgramFeaturizer.Sparse x) {
      double z = bias[c];
      float[] w = weights[c];
      int[] index = x.index();
      float[] value = x.value();
      for (int j = 0; j < index.length; j++) {
        z += w[index[j]] * value[j];
      }
      return 1 / (1 + Math.exp(-z));
    }
  }

  /**
   * AdaGrad on the masked, class-weighted log loss, over the first {@code n} of {@code labelled}.
   */
  Model fit(int[] labelled, int n, Random random) {
    Model model = new Model();
    int k = categories.size();
    double[] positiveWeight = new double[k];
    for (int c = 0; c < k; c++) {
      int pos = 0;
      int neg = 0;
      for (int i = 0; i < n; i++) {
        int item = labelled[i];
        if (poolInScope[item][c]) {
          if (poolTarget[item][c] > 0) {
            pos++;
          } else {
            neg++;
          }
        }
      }
      positiveWeight[c] =
          pos == 0 ? 1 : Math.min(params.maxPositiveWeight(), Math.max(1, (double) neg / pos));
    }
    float[][] gradSq = new float[k][size];
    float[] biasSq = new float[k];
    int[] order = Arrays.copyOf(labelled, n);
    double lr = params.learningRate();
    for (int epoch = 0; epoch < params.epochs(); epoch++) {
      shuffle(order, random);
      for (int item : order) {
        NgramFeaturizer.Sparse x = pool[item];
        for (int c = 0; c < k; c++) {
          if (!poolInScope[item][c]) {
            continue;
          }
          float y = poolTarget[item][c];
          double weight = y > 0 ? positiveWeight[c] : 1;
          double g = weight * (model.probability(c, x) - y);
          float[] w = model.weights[c];
          float[] gs = gradSq[c];
          int[] index = x.index();
          float[] value = x.value();
          for (int j = 0; j < index.length; j++) {
            int b = index[j];
            double grad = g * value[j] + params.l2() * w[b];
            gs[b] += (float) (grad * grad);
            w[b] -= (float) (lr * grad / (Math.sqrt(gs[b]) + 1e-8));
          }
          biasSq[c] += (float) (g * g);
          model.bias[c] -= (float) (lr * g / (Math.sqrt(biasSq[c]) + 1e-8));
        }
      }
    }
    return model;
  }

  /** {macro AP, macro F1 at 0.5, AP per category...} over in-scope dev examples. */
  double[] evaluate(Model model) {
    int k = categories.size();
    double[] out = new double[2 + k];
    double apSum = 0;
    double f1Sum = 0;
    for (int c = 0; c < k; c++) {
      int count = 0;
      for (boolean in : devInScope[c]) {
        count += in ? 1 : 0;
      }
      double[] scores = new double[count];
      int[] labels = new int[count];
      int m = 0;
      for (int i = 0; i < dev.length; i++) {
        if (devInScope[c][i]) {
          scores[m] = model.probability(c, dev[i]);
          labels[m++] = devLabels[c][i];
        }
      }
      boolean[] positive = BinaryMetrics.positive(labels);
      double ap = BinaryMetrics.averagePrecision(scores, positive);
      out[2 + c] = ap;
      apSum += ap;
      f1Sum += BinaryMetrics.confusion(scores, positive, 0.5).f1();
    }
    out[0] = apSum / k;
    out[1] = f1Sum / k;
    return out;
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
