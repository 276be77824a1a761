package dev.sieve.router.feedback;

import dev.sieve.core.util.Settings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The feedback loop's settings (environment form; {@code -Dsieve.x.y} wins, see core {@link
 * Settings}):
 *
 * <ul>
 *   <li>SIEVE_FEEDBACK_ADDR: the annotation app's Feedback service, host:port or dns:///name:port;
 *       unset = no app (reports go to the spool only, overrides come from the file only)
 *   <li>SIEVE_FEEDBACK_TIMEOUT_MS (2000): deadline of one SubmitReport
 *   <li>SIEVE_FEEDBACK_BREAKER_OPEN_MS (30000): how long the circuit breaker in front of the app
 *       stays open (reports go straight to the spool meanwhile) before one probe call
 *   <li>SIEVE_FEEDBACK_SPOOL (SIEVE_RUNTIME_DIR/feedback-spool.jsonl, the runtime directory
 *       defaulting to SIEVE_HOME/.sieve as for {@code ./sieve up}): reports the app could not take,
 *       one JSON line each, re-sent later; "off" disables it (a report the app cannot take then
 *       gets UNAVAILABLE). In a container, point it at a writable persistent volume.
 *   <li>SIEVE_FEEDBACK_SPOOL_MAX_BYTES (16 MiB): beyond it new reports get UNAVAILABLE
 *   <li>SIEVE_FEEDBACK_RESEND_SECONDS (15): how often the spool is re-sent while the app is
 *       configured
 *   <li>SIEVE_OVERRIDES_FILE: an OverrideSet in protobuf JSON form, polled for changes (deployments
 *       without the app); unset = none
 *   <li>SIEVE_RECENT_VERDICTS (50000), SIEVE_RECENT_VERDICTS_MINUTES (60): the request-id map that
 *       lets a report carry the verdict it disputes; 0 disables it
 * </ul>
 */
public record FeedbackSettings(
    String feedbackAddress,
    Duration submitTimeout,
    Path spoolFile,
    long spoolMaxBytes,
    Duration resendInterval,
    Path overridesFile,
    long recentVerdicts,
    Duration recentVerdictAge,
    Duration breakerOpen) {

  /**
   * No app, no spool, no overrides file: reports get UNAVAILABLE, overrides only set by hand
   * (tests).
   */
  public static FeedbackSettings none() {
    return new FeedbackSettings(
        null,
        Duration.ofSeconds(2),
        null,
        16L << 20,
        Duration.ofSeconds(15),
        null,
        10_000,
        Duration.ofHours(1),
        Duration.ofSeconds(30));
  }

  public static FeedbackSettings fromEnvironment() {
    String address =
        Settings.get("SIEVE_FEEDBACK_ADDR")
            .filter(a -> !a.isBlank())
            .map(String::strip)
            .orElse(null);
    String spool = Settings.get("SIEVE_FEEDBACK_SPOOL").orElse(null);
    Path spoolFile;
    if (spool == null || spool.isBlank()) {
      Path runtime =
          Settings.get("SIEVE_RUNTIME_DIR")
              .map(Path::of)
              .orElse(Path.of(Settings.get("SIEVE_HOME", "."), ".sieve"));
      spoolFile = runtime.resolve("feedback-spool.jsonl").toAbsolutePath().normalize();
    } else if (spool.strip().equals("off")) {
      spoolFile = null;
    } else {
      spoolFile = Path.of(spool.strip());
    }
    return new FeedbackSettings(
        address,
        Duration.ofMillis(positive("SIEVE_FEEDBACK_TIMEOUT_MS", 2000)),
        spoolFile,
        positive("SIEVE_FEEDBACK_SPOOL_MAX_BYTES", 16L << 20),
        Duration.ofSeconds(positive("SIEVE_FEEDBACK_RESEND_SECONDS", 15)),
        Settings.get("SIEVE_OVERRIDES_FILE")
            .filter(f -> !f.isBlank())
            .map(f -> Path.of(f.strip()))
            .orElse(null),
        Settings.getLong("SIEVE_RECENT_VERDICTS", 50_000),
        Duration.ofMinutes(positive("SIEVE_RECENT_VERDICTS_MINUTES", 60)),
        Duration.ofMillis(positive("SIEVE_FEEDBACK_BREAKER_OPEN_MS", 30_000)));
  }

  public FeedbackSettings withFeedbackAddress(String address) {
    return new FeedbackSettings(
        address,
        submitTimeout,
        spoolFile,
        spoolMaxBytes,
        resendInterval,
        overridesFile,
        recentVerdicts,
        recentVerdictAge,
        breakerOpen);
  }

  public FeedbackSettings withSpool(Path file, long maxBytes) {
    return new FeedbackSettings(
        feedbackAddress,
        submitTimeout,
        file,
        maxBytes,
        resendInterval,
        overridesFile,
        recentVerdicts,
        recentVerdictAge,
        breakerOpen);
  }

  public FeedbackSettings withOverridesFile(Path file) {
    return new FeedbackSettings(
        feedbackAddress,
        submitTimeout,
        spoolFile,
        spoolMaxBytes,
        resendInterval,
        file,
        recentVerdicts,
        recentVerdictAge,
        breakerOpen);
  }

  public FeedbackSettings withBreakerOpen(Duration open) {
    return new FeedbackSettings(
        feedbackAddress,
        submitTimeout,
        spoolFile,
        spoolMaxBytes,
        resendInterval,
        overridesFile,
        recentVerdicts,
        recentVerdictAge,
        open);
  }

  private static long positive(String name, long defaultValue) {
    long value = Settings.getLong(name, defaultValue);
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }
}
