package dev.sieve.eval.scoring;

import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores examples with bounded concurrency, retrying transient refusals (RESOURCE_EXHAUSTED,
 * UNAVAILABLE) with exponential back-off, recording INVALID_ARGUMENT refusals as rejected inputs,
 * and failing the whole run on anything else (an INTERNAL error is a bug to fix, not a data point).
 */
final class ParallelScoring {

  private static final Logger LOG = LoggerFactory.getLogger(ParallelScoring.class);
  static final int MAX_ATTEMPTS = 6;

  /** Scores one example: category to score (absent = no opinion). */
  @FunctionalInterface
  interface OneScorer {
    Map<String, Double> score(Example example) throws ScoreFailure;
  }

  /** A failed call with the gRPC status code the tier (or transport) gave. */
  static final class ScoreFailure extends Exception {
    final Status.Code code;

    ScoreFailure(Status.Code code, String message, Throwable cause) {
      super(message, cause);
      this.code = code;
    }
  }

  private ParallelScoring() {}

  static Predictions run(
      List<Example> examples,
      List<String> categories,
      int concurrency,
      OneScorer scorer,
      String what) {
    int n = examples.size();
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String c : categories) {
      double[] v = new double[n];
      Arrays.fill(v, Double.NaN);
      out.put(c, v);
    }
    List<Predictions.Rejected> rejected = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, concurrency),
            r -> {
              Thread t = new Thread(r, "eval-scoring");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>();
      int chunk = Math.max(1, n / (concurrency * 8));
      for (int start = 0; start < n; start += chunk) {
        int from = start;
        int to = Math.min(n, start + chunk);
        futures.add(
            pool.submit(
                () -> {
                  for (int i = from; i < to; i++) {
                    Example e = examples.get(i);
                    try {
                      Map<String, Double> s = withRetry(scorer, e);
                      for (Map.Entry<String, Double> kv : s.entrySet()) {
                        double[] arr = out.get(kv.getKey());
                        double v = kv.getValue();
                        if (Double.isNaN(v) || v < 0 || v > 1) {
                          throw new IllegalStateException(
                              what
                                  + " returned score "
                                  + v
                                  + " for '"
                                  + kv.getKey()
                                  + "' on "
                                  + e.id()
                                  + ": outside [0, 1] (contract violation)");
                        }
                        if (arr != null) {
                          arr[i] = v;
                        }
                      }
                    } catch (ScoreFailure f) {
                      if (f.code == Status.Code.INVALID_ARGUMENT) {
                        rejected.add(new Predictions.Rejected(i, e.id(), f.getMessage()));
                      } else {
                        throw new IllegalStateException(
                            what
                                + " failed on "
                                + e.id()
                                + " with "
                                + f.code
                                + ": "
                                + f.getMessage(),
                            f);
                      }
                    }
                    int d = done.incrementAndGet();
                    if (n >= 1000 && d % Math.max(1, n / 10) == 0) {
                      LOG.info("{}: scored {}/{}", what, d, n);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while scoring", e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    List<Predictions.Rejected> sorted = new ArrayList<>(rejected);
    sorted.sort(Comparator.comparingInt(Predictions.Rejected::index));
    for (Predictions.Rejected r : sorted) {
      for (double[] v : out.values()) {
        v[r.index()] = Double.NaN;
      }
    }
    return new Predictions(Scores.of(out, n), sorted, Optional.empty());
  }

  private static Map<String, Double> withRetry(OneScorer scorer, Example e) throws ScoreFailure {
    long backoffMillis = 10;
    for (int attempt = 1; ; attempt++) {
      try {
        return scorer.score(e);
      } catch (ScoreFailure f) {
        boolean transientFailure =
            f.code == Status.Code.RESOURCE_EXHAUSTED || f.code == Status.Code.UNAVAILABLE;
        if (!transientFailure || attempt >= MAX_ATTEMPTS) {
          throw f;
        }
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw f;
        }
        backoffMillis *= 2;
      }
    }
  }
}
