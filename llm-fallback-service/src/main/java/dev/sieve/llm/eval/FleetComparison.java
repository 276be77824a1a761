package dev.sieve.llm.eval;

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
 * <p>Needs a running router with its tiers ({@code ./sieve up}); it talks only to the public
 * {@code Classifier} API, so it measures exactly what a filtering stack gets. A category a
 * configuration gives no verdict for scores 0 there (and its coverage says so).
 */
public final class FleetComparison {

  /** One labelled request: url and/or text, and the labels for the categories in scope. */
  public record Item(String id, String url, String text, Map<String, Boolean> labels) {}

  /** Per category and configuration: average precision and how many items got a verdict. */
  public record Cell(double averagePrecision, int positives, int negatives, int covered) {}

  /** Results: category -> configuration -> cell; plus per configuration the count of failed calls. */
  public record Result(Map<String, Map<String, Cell>> cells, Map<String, Integer> errors) {

    /** Best single-tier average precision for a category (NaN when no tier scored it). */
    public double bestSingleTier(String category) {
      return cells.get(category).entrySet().stream()
          .filter(e -> !e.getKey().equals(MERGED))
          .mapToDouble(e -> e.getValue().averagePrecision())
          .filter(v -> !Double.isNaN(v))
          .max().orElse(Double.NaN);
    }
  }

  public static final String MERGED = "merged (normal routing)";

  private final ClassifierGrpc.ClassifierBlockingStub stub;
  private final List<String> tiers;
  private final int concurrency;
  private final long deadlineMillis;

  public FleetComparison(ClassifierGrpc.ClassifierBlockingStub stub, List<String> tiers, int concurrency, long deadlineMillis) {
    this.stub = stub;
    this.tiers = tiers;
    this.concurrency = concurrency;
    this.deadlineMillis = deadlineMillis;
  }

  public Result run(List<Item> items) throws Exception {
    Map<String, List<String>> configurations = new LinkedHashMap<>();
    for (String tier : tiers) {
      configurations.put(tier + " only", List.of(tier));
    }
    configurations.put(MERGED, List.of());
    Map<String, Map<String, double[]>> scores = new LinkedHashMap<>();
    Map<String, Map<String, boolean[]>> covered = new LinkedHashMap<>();
    Map<String, Integer> errors = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      for (Map.Entry<String, List<String>> config : configurations.entrySet()) {
        List<Future<ClassifyResponse>> futures = new ArrayList<>();
        for (Item item : items) {
          futures.add(pool.submit(() -> classify(item, config.getValue())));
        }
        int failed = 0;
        for (int i = 0; i < items.size(); i++) {
          ClassifyResponse response = futures.get(i).get();
          if (response == null) {
            failed++;
            continue;
          }
          for (CategoryVerdict verdict : response.getCategoriesList()) {
            if (!items.get(i).labels().containsKey(verdict.getCategory()) || !answered(response, config.getValue())) {
              continue;
            }
            scores.computeIfAbsent(verdict.getCategory(), k -> new LinkedHashMap<>())
                .computeIfAbsent(config.getKey(), k -> new double[items.size()])[i] = verdict.getScore();
            covered.computeIfAbsent(verdict.getCategory(), k -> new LinkedHashMap<>())
                .computeIfAbsent(config.getKey(), k -> new boolean[items.size()])[i] = !verdict.getTiersList().isEmpty();
          }
        }
        errors.put(config.getKey(), failed);
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    Map<String, Map<String, Cell>> cells = new LinkedHashMap<>();
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
      for (String config : configurations.keySet()) {
        double[] all = scores.get(category).getOrDefault(config, new double[items.size()]);
        boolean[] cov = covered.get(category).getOrDefault(config, new boolean[items.size()]);
        double[] s = new double[inScope.size()];
        int c = 0;
        for (int k = 0; k < s.length; k++) {
          s[k] = all[inScope.get(k)];
          c += cov[inScope.get(k)] ? 1 : 0;
        }
        byConfig.put(config, new Cell(Metrics.averagePrecision(s, y), pos, y.length - pos, c));
      }
      cells.put(category, byConfig);
    }
    return new Result(cells, errors);
  }

  /** A single-tier configuration counts only when that tier actually answered (OK). */
  private static boolean answered(ClassifyResponse response, List<String> onlyTiers) {
    if (onlyTiers.isEmpty()) {
      return true;
    }
    for (TierStatus status : response.getTiersList()) {
      if (onlyTiers.contains(status.getTier()) && status.getState() == TierState.OK) {
        return true;
      }
    }
    return false;
  }

  private ClassifyResponse classify(Item item, List<String> onlyTiers) {
    ClassifyRequest.Builder request = ClassifyRequest.newBuilder()
        .setRequestId("fleet-eval-" + item.id())
        .setBypassCache(true)
        .addAllTiers(onlyTiers);
    if (item.url() != null) {
      request.setUrl(item.url());
    }
    if (item.text() != null) {
      request.setText(com.google.protobuf.ByteString.copyFromUtf8(item.text()));
    }
    try {
      return stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS).classify(request.build());
    } catch (StatusRuntimeException e) {
      return null;
    }
  }

  /** Markdown table: per category, AP per configuration, best single tier, merged minus best. */
  public static String markdown(Result result) {
    StringBuilder md = new StringBuilder();
    List<String> configs = result.cells().values().stream().findFirst().map(m -> List.copyOf(m.keySet())).orElse(List.of());
    md.append("| category | pos / neg |");
    configs.forEach(c -> md.append(' ').append(c).append(" AP (coverage) |"));
    md.append(" best single tier | merged − best |\n|---|---|");
    configs.forEach(c -> md.append("---|"));
    md.append("---|---|\n");
    result.cells().forEach((category, byConfig) -> {
      Cell any = byConfig.values().iterator().next();
      md.append("| ").append(category).append(" | ").append(any.positives()).append(" / ").append(any.negatives()).append(" |");
      for (String c : configs) {
        Cell cell = byConfig.get(c);
        md.append(String.format(java.util.Locale.ROOT, " %.3f (%d) |", cell.averagePrecision(), cell.covered()));
      }
      double best = result.bestSingleTier(category);
      double merged = byConfig.get(MERGED).averagePrecision();
      md.append(String.format(java.util.Locale.ROOT, " %.3f | %+.3f |\n", best, merged - best));
    });
    md.append("\nFailed calls per configuration: ").append(result.errors()).append('\n');
    return md.toString();
  }
}
