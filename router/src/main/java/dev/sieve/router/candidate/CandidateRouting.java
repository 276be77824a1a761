package dev.sieve.router.candidate;

import com.google.common.hash.Hashing;
import dev.sieve.core.security.ClientSecurity;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.router.policy.TenantPolicy;
import dev.sieve.router.tier.ResilienceSettings;
import dev.sieve.router.tier.TierClient;
import dev.sieve.router.tier.TierFleet;
import dev.sieve.router.tier.TierName;
import dev.sieve.router.tier.TierOutcome;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a candidate version of one tier beside the serving one (#15 item 3): chooses which version
 * serves a request (canary) and compares the two versions off the served path (shadow).
 *
 * <p>Why it cannot cost the served answer latency: the comparison call is started only after the
 * served response has been completed, in the root gRPC context (the caller's deadline and
 * cancellation do not apply to it, and it does not hold the caller's call open), asynchronously (no
 * thread waits for it), and only while fewer than SIEVE_CANDIDATE_MAX_IN_FLIGHT comparisons are in
 * flight: above that the comparison is dropped and counted, never queued. The comparison itself is
 * a few map operations on the tier channel's event loop; the JSONL line is written by {@link
 * DisagreementLog}'s own thread. Served p50/p99 with and without a shadow: docs/benchmarks.md.
 *
 * <p>Canary: with unit {@code tenant}, a tenant is in the canary when the murmur3 hash of its id
 * falls under the share, so a district sees one version consistently and its cached verdicts stay
 * consistent; with unit {@code request} each request is drawn at random, and such a verdict is not
 * put into the shared verdict cache (another request would otherwise be served the canary's answer
 * outside the share). The response's tier status names the version that answered (its model) and
 * says "canary candidate" in its detail.
 *
 * <p>Meters:
 *
 * <ul>
 *   <li>{@code sieve_router_candidate_comparisons_total{tier, mode, result = compared | dropped |
 *       failed}}: sampled comparisons; dropped = over the in-flight bound; failed = the other
 *       version did not answer
 *   <li>{@code sieve_router_candidate_canary_total{tier}}: requests whose tier answer came from the
 *       candidate
 *   <li>{@code sieve_router_candidate_flips_total{tier, category, direction = candidate_only |
 *       serving_only}}: decision flips (candidate_only: the candidate decides the category and the
 *       serving version does not)
 *   <li>{@code sieve_router_candidate_score_delta{tier, category}}: |candidate - serving| score per
 *       category both scored (count, sum, max: the mean absolute delta)
 *   <li>{@code sieve_router_candidate_latency_seconds{tier, version = serving | candidate}}: each
 *       version's answer time in compared pairs
 *   <li>{@code sieve_router_candidate_log_total{result = written | dropped | failed}}: disagreement
 *       file lines
 * </ul>
 */
public final class CandidateRouting implements AutoCloseable {

  private static final CandidateRouting NONE = new CandidateRouting();

  private final CandidateSettings settings;
  private final TierClient candidate;
  private final MeterRegistry registry;
  private final Semaphore inFlight;
  private final DisagreementLog logFile;
  private final long shareBound;
  private final Counter compared;
  private final Counter dropped;
  private final Counter failed;
  private final Counter canary;
  private final Timer servingLatency;
  private final Timer candidateLatency;
  private final Map<String, Counter> flips = new ConcurrentHashMap<>();
  private final Map<String, DistributionSummary> deltas = new ConcurrentHashMap<>();

  /** The candidate's channel when this object created it ({@link #connect}), else null. */
  private ManagedChannel ownedChannel;

  private CandidateRouting() {
    this.settings = null;
    this.candidate = null;
    this.registry = null;
    this.inFlight = null;
    this.logFile = null;
    this.shareBound = 0;
    this.compared = this.dropped = this.failed = this.canary = null;
    this.servingLatency = this.candidateLatency = null;
  }

  /**
   * @param candidate the client of the candidate version (its channel owned by the caller)
   */
  public CandidateRouting(
      CandidateSettings settings, TierClient candidate, MeterRegistry registry) {
    if (candidate.tier() != settings.tier()) {
      throw new IllegalArgumentException(
          "candidate client is for tier " + candidate.tier() + ", not " + settings.tier());
    }
    this.settings = settings;
    this.candidate = candidate;
    this.registry = registry;
    this.inFlight = new Semaphore(settings.maxInFlight());
    this.shareBound = (long) (settings.share() * 0x1p32);
    String tier = settings.tier().wireName();
    String mode = settings.mode().wireName();
    this.compared = comparisons(tier, mode, "compared");
    this.dropped = comparisons(tier, mode, "dropped");
    this.failed = comparisons(tier, mode, "failed");
    this.canary =
        Counter.builder("sieve_router_candidate_canary")
            .description("Requests whose tier answer came from the candidate version")
            .tag("tier", tier)
            .register(registry);
    this.servingLatency = latency(tier, "serving");
    this.candidateLatency = latency(tier, "candidate");
    if (settings.logFile() != null) {
      Counter written = logCounter("written");
      Counter logDropped = logCounter("dropped");
      Counter logFailed = logCounter("failed");
      this.logFile =
          new DisagreementLog(
              settings.logFile(),
              1024,
              result ->
                  (switch (result) {
                        case "written" -> written;
                        case "dropped" -> logDropped;
                        default -> logFailed;
                      })
                      .increment());
    } else {
      this.logFile = null;
    }
  }

  /**
   * Connects to the candidate at {@code settings.target()} with the same transport security,
   * interceptors and resilience settings as the serving version of its tier; the channel is closed
   * with this object.
   */
  public static CandidateRouting connect(
      CandidateSettings settings,
      ResilienceSettings resilience,
      Duration deadlineMargin,
      List<ClientInterceptor> interceptors,
      ClientSecurity security,
      MeterRegistry registry) {
    ManagedChannel channel = TierFleet.channelFor(settings.target(), security, interceptors);
    CandidateRouting routing =
        new CandidateRouting(
            settings,
            new TierClient(settings.tier(), channel, resilience, deadlineMargin),
            registry);
    routing.ownedChannel = channel;
    return routing;
  }

  /** No candidate deployed: every tier is served by its serving version, nothing is compared. */
  public static CandidateRouting none() {
    return NONE;
  }

  public boolean deployed() {
    return settings != null;
  }

  public CandidateSettings settings() {
    return settings;
  }

  public TierClient candidate() {
    return candidate;
  }

  /**
   * The client that serves {@code tier} for this request: the candidate when the canary selects the
   * tenant (or the request), else {@code serving}.
   */
  public TierClient choose(TierName tier, TierClient serving, String tenantId) {
    if (settings == null
        || tier != settings.tier()
        || settings.mode() != CandidateSettings.Mode.CANARY
        || serving == null) {
      return serving;
    }
    boolean selected =
        settings.unit() == CandidateSettings.Unit.TENANT
            ? inTenantShare(tenantId)
            : ThreadLocalRandom.current().nextDouble() < settings.share();
    if (!selected) {
      return serving;
    }
    canary.increment();
    return candidate;
  }

  /** True when a verdict answered by {@code client} must stay out of the shared verdict cache. */
  public boolean uncacheable(TierClient client) {
    return client == candidate
        && client != null
        && settings.unit() == CandidateSettings.Unit.REQUEST;
  }

  /**
   * True when the tenant is in the canary share (stable: murmur3 of the id, compared to the share).
   */
  public boolean inTenantShare(String tenantId) {
    if (settings == null) {
      return false;
    }
    long hash =
        Hashing.murmur3_32_fixed().hashString(tenantId, StandardCharsets.UTF_8).asInt()
            & 0xffffffffL;
    return hash < shareBound;
  }

  /** The outcome as reported when the candidate answered: its detail says so. */
  public TierOutcome markCanary(TierOutcome outcome) {
    String detail =
        outcome.detail().isEmpty() ? "canary candidate" : "canary candidate: " + outcome.detail();
    return new TierOutcome(
        outcome.tier(),
        outcome.state(),
        outcome.latencyMicros(),
        outcome.response(),
        detail,
        outcome.code(),
        outcome.callerDeadline(),
        outcome.model());
  }

  /**
   * After the served answer went out: with probability SIEVE_CANDIDATE_SAMPLE, asks the other
   * version (the candidate in shadow, or whichever did not answer in canary) the same question and
   * compares the answers. Never blocks; over the in-flight bound the comparison is dropped.
   *
   * @param served the client that answered the request
   * @param outcome its outcome (compared only when it answered)
   * @param serving the serving version's client (the other one when the candidate answered)
   * @param host the request URL's host ("" without a URL): all of the request that is logged
   */
  public void compareLater(
      TierClient served,
      TierOutcome outcome,
      TierClient serving,
      ScoreRequest request,
      TenantPolicy tenant,
      String host) {
    if (settings == null
        || outcome.tier() != settings.tier()
        || outcome.state() != TierState.TIER_STATE_OK
        || outcome.response() == null
        || serving == null) {
      return;
    }
    if (settings.sample() < 1 && ThreadLocalRandom.current().nextDouble() >= settings.sample()) {
      return;
    }
    if (!inFlight.tryAcquire()) {
      dropped.increment();
      return;
    }
    boolean servedByCandidate = served == candidate;
    TierClient other = servedByCandidate ? serving : candidate;
    Consumer<TierOutcome> done =
        answer -> {
          try {
            if (answer.state() != TierState.TIER_STATE_OK || answer.response() == null) {
              failed.increment();
              return;
            }
            ScoreResponse servingAnswer =
                servedByCandidate ? answer.response() : outcome.response();
            ScoreResponse candidateAnswer =
                servedByCandidate ? outcome.response() : answer.response();
            long servingMicros =
                servedByCandidate ? answer.latencyMicros() : outcome.latencyMicros();
            long candidateMicros =
                servedByCandidate ? outcome.latencyMicros() : answer.latencyMicros();
            record(
                VersionComparison.of(servingAnswer, candidateAnswer, tenant),
                servedByCandidate,
                host,
                servingAnswer.getModel(),
                candidateAnswer.getModel(),
                servingMicros,
                candidateMicros);
          } finally {
            inFlight.release();
          }
        };
    try {
      Context.ROOT.run(() -> other.score(request, null, null, done));
    } catch (RuntimeException e) {
      inFlight.release();
      failed.increment();
    }
  }

  private void record(
      VersionComparison comparison,
      boolean servedByCandidate,
      String host,
      ModelInfo servingModel,
      ModelInfo candidateModel,
      long servingMicros,
      long candidateMicros) {
    compared.increment();
    servingLatency.record(servingMicros, TimeUnit.MICROSECONDS);
    candidateLatency.record(candidateMicros, TimeUnit.MICROSECONDS);
    String tier = settings.tier().wireName();
    for (String id : comparison.common()) {
      deltas
          .computeIfAbsent(
              id,
              c ->
                  DistributionSummary.builder("sieve_router_candidate_score_delta")
                      .description("|candidate - serving| score per category, in compared pairs")
                      .tag("tier", tier)
                      .tag("category", c)
                      .register(registry))
          .record(Math.abs(comparison.delta(id)));
    }
    for (String id : comparison.flips()) {
      String direction = comparison.candidateDecides(id) ? "candidate_only" : "serving_only";
      flips
          .computeIfAbsent(
              id + "/" + direction,
              k ->
                  Counter.builder("sieve_router_candidate_flips")
                      .description(
                          "Decision flips between the serving and the candidate version, per category")
                      .tag("tier", tier)
                      .tag("category", id)
                      .tag("direction", direction)
                      .register(registry))
          .increment();
    }
    if (logFile == null) {
      return;
    }
    boolean disagreement =
        !comparison.flips().isEmpty() || comparison.maxAbsDelta() >= settings.logDelta();
    double logP = disagreement ? 1.0 : settings.logAgreements();
    if (disagreement || ThreadLocalRandom.current().nextDouble() < logP) {
      logFile.append(
          tier,
          settings.mode().wireName(),
          servedByCandidate,
          host,
          modelId(servingModel),
          modelId(candidateModel),
          comparison,
          logP);
    }
  }

  private static String modelId(ModelInfo model) {
    return model.getName() + "@" + model.getVersion();
  }

  private Counter comparisons(String tier, String mode, String result) {
    return Counter.builder("sieve_router_candidate_comparisons")
        .description("Sampled comparisons of the serving and the candidate version, by result")
        .tag("tier", tier)
        .tag("mode", mode)
        .tag("result", result)
        .register(registry);
  }

  private Counter logCounter(String result) {
    return Counter.builder("sieve_router_candidate_log")
        .description("Disagreement file lines, by result")
        .tag("result", result)
        .register(registry);
  }

  private Timer latency(String tier, String version) {
    return Timer.builder("sieve_router_candidate_latency")
        .description("Answer time of each version in compared pairs")
        .tag("tier", tier)
        .tag("version", version)
        .register(registry);
  }

  /** Flushes and closes the disagreement file (the candidate's channel is closed by its owner). */
  @Override
  public void close() {
    if (logFile != null) {
      logFile.close();
    }
    if (ownedChannel != null) {
      ownedChannel.shutdown();
      try {
        if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
          ownedChannel.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ownedChannel.shutdownNow();
      }
    }
  }
}
