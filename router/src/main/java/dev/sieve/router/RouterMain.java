package dev.sieve.router;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.security.ClientSecurity;
import dev.sieve.core.telemetry.Telemetry;
import dev.sieve.core.util.Settings;
import dev.sieve.router.auth.RouterSecurity;
import dev.sieve.router.candidate.CandidateRouting;
import dev.sieve.router.candidate.CandidateSettings;
import dev.sieve.router.feedback.FeedbackLoop;
import dev.sieve.router.feedback.FeedbackSettings;
import dev.sieve.router.http.HttpGateway;
import dev.sieve.router.http.HttpGatewaySettings;
import dev.sieve.router.policy.PolicyException;
import dev.sieve.router.policy.PolicyStore;
import dev.sieve.router.tier.TierFleet;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the router: {@code java -cp target/sieve-router-0.1.0-SNAPSHOT.jar:target/lib/*
 * dev.sieve.router.RouterMain}.
 *
 * <p>Reads {@link RouterSettings} from the environment, loads the policy (an invalid policy file
 * stops startup with exit code 2 and the precise reason), creates the tier channels (with
 * trace-context propagation, TLS/mTLS per {@link ClientSecurity}), sets up the port's transport
 * security and client authentication ({@link RouterSecurity}; a refused combination also exits with
 * code 2), binds the gRPC port and the metrics port ({@code SIEVE_METRICS_PORT}, default 9091, -1 =
 * off) and reports SERVING without waiting for the tiers: a down tier is reported per response.
 * With SIEVE_HTTP_PORT set it also serves the JSON/HTTP API ({@link HttpGateway}) in the same
 * process. SIGTERM flips health to NOT_SERVING, drains in-flight calls for
 * SIEVE_DRAIN_TIMEOUT_SECONDS, then closes the tier channels and telemetry.
 */
public final class RouterMain {

  private static final Logger log = LoggerFactory.getLogger(RouterMain.class);

  private RouterMain() {}

  public static void main(String[] args) throws Exception {
    RouterSettings settings;
    PolicyStore policies;
    int metricsPort;
    RouterSecurity security;
    ClientSecurity tierSecurity;
    Optional<CandidateSettings> candidate;
    FeedbackSettings feedbackSettings;
    HttpGatewaySettings httpSettings;
    try {
      settings = RouterSettings.fromEnvironment();
      candidate = CandidateSettings.fromEnvironment();
      metricsPort = Settings.getInt("SIEVE_METRICS_PORT", 9091);
      policies = PolicyStore.open(settings.policyFile());
      security = RouterSecurity.fromEnvironment(settings.bindHost());
      tierSecurity = ClientSecurity.forTiers();
      feedbackSettings = FeedbackSettings.fromEnvironment();
      if (feedbackSettings.feedbackAddress() != null) {
        tierSecurity.credentials(feedbackSettings.feedbackAddress());
      }
      httpSettings =
          HttpGatewaySettings.fromEnvironment(settings.bindHost(), settings.maxBodyBytes());
      // The plaintext rule for tier targets, checked now so a refused target stops the start here.
      settings.tierTargets().values().stream()
          .filter(target -> !target.isBlank())
          .forEach(target -> tierSecurity.credentials(target.strip()));
      candidate.ifPresent(c -> tierSecurity.credentials(c.target()));
    } catch (PolicyException | IllegalArgumentException e) {
      log.error("router cannot start: {}", e.getMessage());
      System.exit(2);
      return;
    }
    log.info(
        "policy {} version {} ({})",
        policies.current().id(),
        policies.current().version(),
        settings.policyFile() == null ? "embedded default" : settings.policyFile());
    Telemetry telemetry = Telemetry.create("router");
    TierFleet fleet =
        TierFleet.connect(
            settings.tierTargets(),
            settings.resilience()::get,
            settings.deadlineMargin(),
            List.of(telemetry.clientInterceptor()),
            tierSecurity);
    CandidateRouting candidates =
        candidate
            .map(
                c -> {
                  log.info(
                      "candidate {} tier: target {}, mode {}, sample {}{}",
                      c.tier().wireName(),
                      c.target(),
                      c.mode().wireName(),
                      c.sample(),
                      c.mode() == CandidateSettings.Mode.CANARY
                          ? ", share " + c.share() + " of " + c.unit()
                          : "");
                  return CandidateRouting.connect(
                      c,
                      settings.resilience().get(c.tier()),
                      settings.deadlineMargin(),
                      List.of(telemetry.clientInterceptor()),
                      tierSecurity,
                      telemetry.meterRegistry());
                })
            .orElse(CandidateRouting.none());
    ManagedChannel feedbackChannel =
        feedbackSettings.feedbackAddress() == null
            ? null
            : Grpc.newChannelBuilder(
                    feedbackSettings.feedbackAddress(),
                    tierSecurity.credentials(feedbackSettings.feedbackAddress()))
                .intercept(telemetry.clientInterceptor())
                .build();
    String watcherName = Settings.get("HOSTNAME", "router");
    Router router =
        new Router(
            settings,
            policies,
            fleet,
            telemetry.meterRegistry(),
            Ticker.systemTicker(),
            candidates,
            registry ->
                new FeedbackLoop(
                    feedbackSettings, feedbackChannel, Clock.systemUTC(), registry, watcherName));
    log.info(
        "feedback: {}; report spool {}; overrides file {}",
        feedbackSettings.feedbackAddress() == null
            ? "no annotation app (SIEVE_FEEDBACK_ADDR unset)"
            : feedbackSettings.feedbackAddress(),
        feedbackSettings.spoolFile() == null ? "off" : feedbackSettings.spoolFile(),
        feedbackSettings.overridesFile() == null ? "none" : feedbackSettings.overridesFile());
    router.startBackgroundTasks();
    GrpcServerLauncher launcher = router.serve(telemetry, security);
    telemetry.startMetricsServer(settings.bindHost(), metricsPort);
    HttpGateway http = null;
    if (httpSettings.enabled()) {
      try {
        http = router.serveHttp(httpSettings, telemetry, security);
      } catch (IOException | GeneralSecurityException e) {
        // A router without the HTTP door it was asked for must not look healthy.
        log.error(
            "router cannot start: JSON/HTTP port {} on {}: {}",
            httpSettings.port(),
            httpSettings.bindHost(),
            e.toString());
        System.exit(2);
        return;
      }
    }
    HttpGateway gateway = http;
    launcher.installShutdownHook(
        settings.drainTimeout(),
        () -> {
          if (gateway != null) {
            gateway.close();
          }
          router.close();
          if (feedbackChannel != null) {
            feedbackChannel.shutdownNow();
          }
          tierSecurity.close();
          telemetry.close();
        });
    launcher.awaitTermination();
  }
}
