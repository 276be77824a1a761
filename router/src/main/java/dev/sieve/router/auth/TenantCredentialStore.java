package dev.sieve.router.auth;

import dev.sieve.core.util.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active {@link TenantCredentials}, re-read when the client-auth file's content changes, so
 * keys are added and revoked without a restart. Polled by content hash like the policy file (a
 * mounted Secret changes by symlink swap, which file watches miss); a new file that fails to parse
 * is logged once and the last good credentials stay active.
 */
public final class TenantCredentialStore implements Supplier<TenantCredentials> {

  private static final Logger log = LoggerFactory.getLogger(TenantCredentialStore.class);

  private final Path file;
  private volatile TenantCredentials current;
  private volatile String currentSha256;
  private volatile String lastRejectedSha256;

  private TenantCredentialStore(Path file, TenantCredentials initial, String sha256) {
    this.file = file;
    this.current = initial;
    this.currentSha256 = sha256;
  }

  /**
   * Loads the file.
   *
   * @throws IllegalArgumentException when it is unreadable or invalid (startup must fail)
   */
  public static TenantCredentialStore open(Path file) {
    byte[] content = read(file);
    TenantCredentials credentials = TenantCredentials.parse(file.toString(), content);
    log.info(
        "client authentication: {} API key(s) and {} certificate identities from {}",
        credentials.tenantByKeyHash().size(),
        credentials.tenantByIdentity().size(),
        file);
    return new TenantCredentialStore(file, credentials, Sha256.of(content));
  }

  @Override
  public TenantCredentials get() {
    return current;
  }

  /** Re-reads the file; true when new credentials became active. Never throws. */
  public synchronized boolean reloadIfChanged() {
    byte[] content;
    try {
      content = read(file);
    } catch (IllegalArgumentException e) {
      log.warn("client-auth reload: {}; keeping the current credentials", e.getMessage());
      return false;
    }
    String sha = Sha256.of(content);
    if (sha.equals(currentSha256) || sha.equals(lastRejectedSha256)) {
      return false;
    }
    try {
      current = TenantCredentials.parse(file.toString(), content);
      currentSha256 = sha;
      lastRejectedSha256 = null;
      log.info(
          "client authentication reloaded: {} API key(s), {} certificate identities",
          current.tenantByKeyHash().size(),
          current.tenantByIdentity().size());
      return true;
    } catch (IllegalArgumentException e) {
      lastRejectedSha256 = sha;
      log.error("client-auth reload rejected, keeping the current credentials: {}", e.getMessage());
      return false;
    }
  }

  /** Polls the file every {@code interval} on {@code scheduler}. */
  public ScheduledFuture<?> watch(ScheduledExecutorService scheduler, Duration interval) {
    long millis = Math.max(1, interval.toMillis());
    return scheduler.scheduleWithFixedDelay(
        this::reloadIfChanged, millis, millis, TimeUnit.MILLISECONDS);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read client-auth file " + file + ": " + e);
    }
  }
}
