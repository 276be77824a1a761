package dev.sieve.eval.scoring;

import com.google.protobuf.ByteString;
import dev.sieve.core.grpc.DegradedVerdictRetry;
import dev.sieve.eval.Evaluator;
import dev.sieve.eval.Example;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Predictions from the router's public Classifier, cache bypassed: with a tiers filter (e.g. only
 * "url") one tier through the router; with none, the fleet under its policy exactly as the
 * filtering stack sees it, including what each verdict did ({@link #served()}: action and alert). A
 * verdict with no contributing tier is "no opinion".
 */
public final class ClassifierSource implements PredictionSource {

  private final ManagedChannel channel;
  private final ClassifierGrpc.ClassifierBlockingStub stub;
  private final List<String> tiers;
  private final Duration deadline;
  private final int concurrency;
  private final String target;
  private final ConcurrentHashMap<String, boolean[]> outcomes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Double> thresholds = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> policy = new ConcurrentHashMap<>();

  public ClassifierSource(String target, List<String> tiers, Duration deadline, int concurrency) {
    this(
        ManagedChannelBuilder.forTarget(target).usePlaintext().build(),
        target,
        tiers,
        deadline,
        concurrency);
  }

  public ClassifierSource(
      ManagedChannel channel,
      String target,
      List<String> tiers,
      Duration deadline,
      int concurrency) {
    this.channel = channel;
    this.stub = ClassifierGrpc.newBlockingStub(channel);
    this.tiers = List.copyOf(tiers);
    this.deadline = deadline;
    this.concurrency = concurrency;
    this.target = target;
  }

  @Override
  public String describe() {
    return "router Classifier at "
        + target
        + " (tiers "
        + (tiers.isEmpty() ? "all" : String.join(",", tiers))
        + ", cache bypassed)";
  }

  @Override
  public Predictions score(List<Example> examples, List<String> categories) {
    return ParallelScoring.run(
        examples,
        categories,
        concurrency,
        e -> {
          ClassifyRequest.Builder req =
              ClassifyRequest.newBuilder()
                  .setRequestId(e.id())
                  .setBypassCache(true)
                  .addAllTiers(tiers);
          if (DatasetExamples.isUrl(e)) {
            req.setUrl(e.input());
          } else if (DatasetExamples.isHtml(e)) {
            req.setHtml(ByteString.copyFromUtf8(e.input()));
          } else {
            req.setText(ByteString.copyFromUtf8(e.input()));
          }
          ClassifyResponse resp;
          try {
            resp =
                stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .classify(req.build());
            // A verdict decided without a tier (it shed the call or timed out under this
            // evaluation's own
            // concurrency) measures the load, not the fleet: ask again, as classify-batch does, a
            // few
            // times, waiting long enough for an open breaker to let a trial call through. What is
            // still
            // degraded is counted and reported.
            long[] backoff = DegradedVerdictRetry.backoffMillis();
            for (int attempt = 1; resp.getDegraded() && attempt <= DEGRADED_RETRIES; attempt++) {
              retried.incrementAndGet();
              try {
                Thread.sleep(backoff[attempt - 1]);
              } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
              }
              resp =
                  stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                      .classify(req.build());
            }
            if (resp.getDegraded()) {
              stillDegraded.incrementAndGet();
            }
          } catch (StatusRuntimeException ex) {
            throw new ParallelScoring.ScoreFailure(
                ex.getStatus().getCode(), ex.getStatus().getDescription(), ex);
          }
          outcomes.put(
              e.id(), new boolean[] {resp.getAction() == Action.ACTION_BLOCK, resp.getAlert()});
          policy.putIfAbsent("id", resp.getPolicyId());
          policy.putIfAbsent("version", resp.getPolicyVersion());
          for (CategoryVerdict v : resp.getCategoriesList()) {
            thresholds.putIfAbsent(v.getCategory(), v.getThreshold());
          }
          Map<String, Double> out = new HashMap<>();
          for (CategoryVerdict v : resp.getCategoriesList()) {
            if (v.getTiersCount() > 0) {
              out.put(v.getCategory(), v.getScore());
            }
          }
          return out;
        },
        describe());
  }

  /** Degraded verdicts asked again at most this many times. */
  public static final int DEGRADED_RETRIES = DegradedVerdictRetry.attempts();

  private final AtomicInteger retried = new AtomicInteger();
  private final AtomicInteger stillDegraded = new AtomicInteger();

  /**
   * Calls asked again because their verdict was degraded, and verdicts still degraded after that.
   */
  public int[] degradedCounts() {
    return new int[] {retried.get(), stillDegraded.get()};
  }

  /** The policy thresholds the router applied (category to threshold), from its verdicts. */
  public Map<String, Double> policyThresholds() {
    return new TreeMap<>(thresholds);
  }

  /** The policy id and version the router reported ("id", "version"). */
  public Map<String, String> policy() {
    return new TreeMap<>(policy);
  }

  /** What the served verdicts of the last {@link #score} did, aligned with its examples. */
  public Evaluator.Served served(List<Example> examples) {
    boolean[] blocked = new boolean[examples.size()];
    boolean[] alerted = new boolean[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      boolean[] o = outcomes.get(examples.get(i).id());
      if (o != null) {
        blocked[i] = o[0];
        alerted[i] = o[1];
      }
    }
    return new Evaluator.Served(blocked, alerted);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
