package dev.sieve.router.policy;

import dev.sieve.core.util.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the active policy and hot-reloads it from its file.
 *
 * <p>Reload is by polling the file's content hash rather than a {@code WatchService}: Kubernetes
 * updates a mounted ConfigMap by swapping a symlink, which file watches miss or report twice, and
 * file-system timestamps may have one-second resolution, which misses two writes in the same
 * second. Reading a policy file of a few kilobytes every few seconds costs nothing. A new file that
 * fails validation is logged with its precise reason and the last good policy stays active; the
 * same bad content is reported once, not on every poll.
 */
public final class PolicyStore {

  private static final Logger log = LoggerFactory.getLogger(PolicyStore.class);

  /** Classpath resource used when no policy file is configured. */
  public static final String DEFAULT_RESOURCE = "default-policy.yaml";

  /** Outcome of one reload check. */
  public enum ReloadResult {
    UNCHANGED,
    RELOADED,
    REJECTED,
    UNREADABLE
  }

  /** The active policy with a generation number that changes on every successful reload. */
  public record Active(Policy policy, long generation) {}

  private final Path file;
  private volatile Active active;
  private volatile String lastRejectedSha256;
  private final List<Consumer<Policy>> listeners = new CopyOnWriteArrayList<>();

  private PolicyStore(Path file, Policy initial) {
    this.file = file;
    this.active = new Active(initial, 1);
  }

  /**
   * Loads the policy from {@code file}, or the embedded default when {@code file} is null.
   *
   * @throws PolicyException when the file is unreadable or invalid (startup must fail)
   */
  public static PolicyStore open(Path file) throws PolicyException {
    if (file == null) {
      return new PolicyStore(null, loadEmbeddedDefault());
    }
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PolicyException(file + ": cannot read policy file: " + e.getMessage(), e);
    }
    Policy policy = PolicyParser.parse(file.toString(), content);
    log.info(
        "policy {} version {} loaded from {} ({} tenants)",
        policy.id(),
        policy.version(),
        file,
        policy.tenants().size());
    return new PolicyStore(file, policy);
  }

  /** A store holding a fixed policy (tests, embedded use). */
  public static PolicyStore of(Policy policy) {
    return new PolicyStore(null, policy);
  }

  /** The embedded default policy ({@value #DEFAULT_RESOURCE}). */
  public static Policy loadEmbeddedDefault() throws PolicyException {
    try (InputStream in =
        PolicyStore.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new PolicyException(
            "embedded " + DEFAULT_RESOURCE + " is missing from the classpath");
      }
      return PolicyParser.parse("classpath:" + DEFAULT_RESOURCE, in.readAllBytes());
    } catch (IOException e) {
      throw new PolicyException(
          "cannot read embedded " + DEFAULT_RESOURCE + ": " + e.getMessage(), e);
    }
  }

  /** The active policy and its generation (one volatile read). */
  public Active active() {
    return active;
  }

  /** The active policy. */
  public Policy current() {
    return active.policy();
  }

  /** Called after every successful reload with the new policy (e.g. to drop cached verdicts). */
  public void onReload(Consumer<Policy> listener) {
    listeners.add(listener);
  }

  /**
   * Re-reads the file and swaps the policy when its content changed and is valid. Never throws: a
   * bad or unreadable file is logged and the last good policy stays.
   */
  public synchronized ReloadResult reloadIfChanged() {
    if (file == null) {
      return ReloadResult.UNCHANGED;
    }
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException | RuntimeException e) {
      log.warn(
          "policy reload: cannot read {} ({}); keeping policy {} version {}",
          file,
          e.toString(),
          current().id(),
          current().version());
      return ReloadResult.UNREADABLE;
    }
    String sha = Sha256.of(content);
    if (sha.equals(current().contentSha256())) {
      return ReloadResult.UNCHANGED;
    }
    if (sha.equals(lastRejectedSha256)) {
      return ReloadResult.REJECTED;
    }
    Policy next;
    try {
      next = PolicyParser.parse(file.toString(), content);
    } catch (PolicyException e) {
      lastRejectedSha256 = sha;
      log.error(
          "policy reload rejected, keeping policy {} version {}: {}",
          current().id(),
          current().version(),
          e.getMessage());
      return ReloadResult.REJECTED;
    }
    Active previous = active;
    active = new Active(next, previous.generation() + 1);
    lastRejectedSha256 = null;
    log.info(
        "policy reloaded: {} version {} -> {} version {} ({} tenants)",
        previous.policy().id(),
        previous.policy().version(),
        next.id(),
        next.version(),
        next.tenants().size());
    for (Consumer<Policy> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        log.warn("policy reload listener failed", e);
      }
    }
    return ReloadResult.RELOADED;
  }

  /**
   * Polls the file every {@code interval} on {@code scheduler}; a no-op for the embedded default.
   */
  public ScheduledFuture<?> watch(ScheduledExecutorService scheduler, Duration interval) {
    if (file == null) {
      return null;
    }
    long millis = Math.max(1, interval.toMillis());
    return scheduler.scheduleWithFixedDelay(
        this::reloadIfChanged, millis, millis, TimeUnit.MILLISECONDS);
  }
}
