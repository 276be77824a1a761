package dev.sieve.llm.eval;

import com.google.protobuf.ByteString;
import dev.sieve.core.metrics.BinaryMetrics;
import dev.sieve.core.text.MarkdownTable;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * "The fleet is at least as good as its best tier": sends the same labelled inputs through the
 * router once per configuration (each tier alone via the {@code tiers} filter, and normal routing)
 * and compares per-category average precision of the merged verdict with the best single tier.
 *
 * <p>Needs a running router with its tiers ({@code ./sieve up}); it talks only to the public {@code
 * Classifier} API, so it measures exactly what a filtering stack gets. A category a configuration
 * gives no verdict for scores 0 there (and its coverage says so).
 */
public final class FleetComparison {

  /** One labelled request: url and/or text, and the labels for the categories in scope. */
  public record Item(String id, String url, String text, Map<String, Boolean> labels) {}

  /**
   * Per category and configuration: average precision, how many items got a verdict, and how many
   * calls the configuration's tier did not answer (TIMEOUT, ERROR, ...: scored 0, which makes the
   * comparison unfair; the command refuses a run where this is not negligible).
   */
  public record Cell(
      double averagePrecision, int positives, int negatives, int covered, int unanswered) {}

  /**
   * The check for one category: merged minus the best single tier, with a paired bootstrap 95%
   * interval (the same resampled items for both), and what it means.
   *
   * @param bestTier configuration with the best single-tier average precision
   * @param delta merged AP minus best single-tier AP
   * @param lower lower end of the 95% interval of {@code delta}
   * @param upper upper end
   * @param status "not worse" (the interval reaches 0 or above), "worse" (entirely below 0) or
   *     "insufficient data" (fewer positives than the minimum: no conclusion)
   */
  public record Check(String bestTier, double delta, double lower, double upper, String status) {
    public boolean worse() {
      return status.equals(WORSE);
    }
  }

  /**
   * Results: category -> configuration -> cell; per category the check; per configuration failed
   * calls.
   */
  public record Result(
      Map<String, Map<String, Cell>> cells,
      Map<String, Check> checks,
      Map<String, Integer> errors) {

    /** Best single-tier average precision for a category (NaN when no tier scored it). */
    public double bestSingleTier(String category) {
      return cells.get(category).entrySet().stream()
          .filter(e -> !e.getKey().equals(MERGED))
          .mapToDouble(e -> e.getValue().averagePrecision())
          .filter(v -> !Double.isNaN(v))
          .max()
          .orElse(Double.NaN);
    }
  }

  public static final String NOT_WORSE = "not worse";
  public static final String WORSE = "worse";
  public static final String INSUFFICIENT = "insufficient data";

  public static final String MERGED = "merged (normal routing)";

  private final ClassifierGrpc.ClassifierBlockingStub stub;
  private final List<String> tiers;
  private final int concurrency;
  private final long deadlineMillis;

  private int minPositives = 30;
  private int replicates = 1000;
  private long seed = 20251125L;

  public FleetComparison(
      ClassifierGrpc.ClassifierBlockingStub stub,
      List<String> tiers,
      int concurrency,
      long deadlineMillis) {
    this.stub = stub;
    this.tiers = tiers;
    this.concurrency = concurrency;
    this.deadlineMillis = deadlineMillis;
  }

  /** Positives below which a category gets no verdict, bootstrap replicates, and their seed. */
  public FleetComparison statistics(int minPositives, int replicates, long seed) {
    this.minPositives = minPositives;
    this.replicates = replicates;
    this.seed = seed;
    return this;
  }

  public Result run(List<Item> items) throws Exception {
    Map<String, List<String>> configurations = new LinkedHashMap<>();
    for (String tier : tiers) {
      configurations.put(tier + " only", List.of(tier));
    }
    configurations.put(MERGED, List.of());
    Map<String, Map<String, double[]>> scores = new LinkedHashMap<>();
    Map<String, Map<String, boolean[]>> covered = new LinkedHashMap<>();
    Map<String, boolean[]> unanswered = new LinkedHashMap<>();
    Map<String, Integer> errors = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      for (Map.Entry<String, List<String>> config : configurations.entrySet()) {
        List<Future<ClassifyResponse>> futures = new ArrayList<>();
        for (Item item : items) {
          futures.add(pool.submit(() -> classify(item, config.getValue())));
        }
        int failed = 0;
        boolean[] missing = new boolean[items.size()];
        unanswered.put(config.getKey(), missing);
        for (int i = 0; i < items.size(); i++) {
          ClassifyResponse response = futures.get(i).get();
          if (response == null) {
            failed++;
            missing[i] = true;
            continue;
          }
          missing[i] = !config.getValue().isEmpty() && !answered(response, config.getValue());
          for (CategoryVerdict verdict : response.getCategoriesList()) {
            if (!items.get(i).labels().containsKey(verdict.getCategory())
                || !answered(response, config.getValue())) {
              continue;
            }
            scores.computeIfAbsent(verdict.getCategory(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(config.getKey(), k -> new double[items.size()])[i] =
                verdict.getScore();
            covered.computeIfAbsent(verdict.getCategory(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(config.getKey(), k -> new boolean[items.size()])[i] =
                !verdict.getTiersList().isEmpty();
          }
        }
        errors.put(config.getKey(), failed);
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    Map<String, Map<String, Cell>> cells = new LinkedHashMap<>();
    Map<String, Check> checks = new LinkedHashMap<>();
    for (String category : scores.keySet()) {
      List<Integer> inScope = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i).labels().containsKey(category)) {
          inScope.add(i);
        }
      }
      boolean[] y = new boolean[inScope.size()];
      int pos = 0;
      for (int k = 0; k < y.length; k++) {
        y[k] = items.get(inScope.get(k)).labels().get(category);
        pos += y[k] ? 1 : 0;
      }
      Map<String, Cell> byConfig = new LinkedHashMap<>();
      Map<String, double[]> inScopeScores = new LinkedHashMap<>();
      for (String config : configurations.keySet()) {
        double[] all = scores.get(category).getOrDefault(config, new double[items.size()]);
        boolean[] cov = covered.get(category).getOrDefault(config, new boolean[items.size()]);
        boolean[] miss = unanswered.get(config);
        double[] s = new double[inScope.size()];
        int c = 0;
        int u = 0;
        for (int k = 0; k < s.length; k++) {
          s[k] = all[inScope.get(k)];
          c += cov[inScope.get(k)] ? 1 : 0;
          u += miss[inScope.get(k)] ? 1 : 0;
        }
        inScopeScores.put(config, s);
        byConfig.put(
            config, new Cell(BinaryMetrics.averagePrecision(s, y), pos, y.length - pos, c, u));
      }
      cells.put(category, byConfig);
      checks.put(category, check(byConfig, inScopeScores, y, pos));
    }
    return new Result(cells, checks, errors);
  }

  private Check check(
      Map<String, Cell> byConfig, Map<String, double[]> scores, boolean[] y, int positives) {
    String best = null;
    for (Map.Entry<String, Cell> e : byConfig.entrySet()) {
      double ap = e.getValue().averagePrecision();
      if (!e.getKey().equals(MERGED)
          && !Double.isNaN(ap)
          && (best == null || ap > byConfig.get(best).averagePrecision())) {
        best = e.getKey();
      }
    }
    if (best == null) {
      return new Check("", Double.NaN, Double.NaN, Double.NaN, INSUFFICIENT);
    }
    double delta = byConfig.get(MERGED).averagePrecision() - byConfig.get(best).averagePrecision();
    if (positives < minPositives) {
      return new Check(best, delta, Double.NaN, Double.NaN, INSUFFICIENT);
    }
    double[] ci =
        BinaryMetrics.bootstrapApDifference(
            scores.get(MERGED), scores.get(best), y, replicates, seed);
    return new Check(best, delta, ci[0], ci[1], ci[1] < 0 ? WORSE : NOT_WORSE);
  }

  /** A single-tier configuration counts only when that tier actually answered (OK). */
  private static boolean answered(ClassifyResponse response, List<String> onlyTiers) {
    if (onlyTiers.isEmpty()) {
      return true;
    }
    for (TierStatus status : response.getTiersList()) {
      if (onlyTiers.contains(status.getTier()) && status.getState() == TierState.TIER_STATE_OK) {
        return true;
      }
    }
    return false;
  }

  private ClassifyResponse classify(Item item, List<String> onlyTiers) {
    ClassifyRequest.Builder request =
        ClassifyRequest.newBuilder()
            .setRequestId("fleet-eval-" + item.id())
            .setBypassCache(true)
            .addAllTiers(onlyTiers);
    if (item.url() != null) {
      request.setUrl(item.url());
    }
    if (item.text() != null) {
      request.setText(ByteString.copyFromUtf8(item.text()));
    }
    try {
      return stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
          .classify(request.build());
    } catch (StatusRuntimeException e) {
      return null;
    }
  }

  /**
   * Markdown table: per category, AP per configuration (with items that got a verdict, and
   * unanswered calls when any), the best single tier, merged minus best with its 95% interval, and
   * the check's status.
   */
  public static String markdown(Result result) {
    StringBuilder md = new StringBuilder();
    List<String> configs =
        result.cells().values().stream()
            .findFirst()
            .map(m -> List.copyOf(m.keySet()))
            .orElse(List.of());
    List<String> header = new ArrayList<>(List.of("category", "pos / neg"));
    configs.forEach(c -> header.add(c + " AP (covered)"));
    header.addAll(List.of("best single tier", "merged − best [95% CI]", "check"));
    MarkdownTable table = MarkdownTable.compact(header);
    result
        .cells()
        .forEach(
            (category, byConfig) -> {
              Cell any = byConfig.values().iterator().next();
              List<String> row = new ArrayList<>();
              row.add(category);
              row.add(any.positives() + " / " + any.negatives());
              for (String c : configs) {
                Cell cell = byConfig.get(c);
                row.add(
                    String.format(
                        Locale.ROOT,
                        "%.3f (%d%s)",
                        cell.averagePrecision(),
                        cell.covered(),
                        cell.unanswered() > 0 ? ", " + cell.unanswered() + " unanswered" : ""));
              }
              Check check = result.checks().get(category);
              row.add(
                  String.format(
                      Locale.ROOT, "%s %.3f", check.bestTier(), result.bestSingleTier(category)));
              String delta = String.format(Locale.ROOT, "%+.3f", check.delta());
              if (!Double.isNaN(check.lower())) {
                delta +=
                    String.format(Locale.ROOT, " [%+.3f, %+.3f]", check.lower(), check.upper());
              }
              row.add(delta);
              row.add(check.worse() ? "**worse**" : check.status());
              table.row(row);
            });
    table.appendTo(md);
    md.append("\nFailed calls per configuration: ").append(result.errors()).append('\n');
    return md.toString();
  }
}
