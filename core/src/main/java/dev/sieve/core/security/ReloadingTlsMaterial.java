package dev.sieve.core.security;

import dev.sieve.core.util.Sha256;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.AdvancedTlsX509TrustManager.Verification;
import io.grpc.util.CertificateUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS identity (certificate chain + key) and/or trust bundle read from PEM files, held in
 * grpc-java's {@link AdvancedTlsX509KeyManager} and {@link AdvancedTlsX509TrustManager}, and
 * re-read when the files' content changes, so that certificates rotate (cert-manager renewing a
 * Secret, an operator replacing files) without a restart: every handshake after a reload uses the
 * new material.
 *
 * <p>Why not the managers' own file-watching {@code update...Credentials(File, ..., period)}: they
 * enforce a one-minute minimum period, compare modification times (one-second resolution on some
 * file systems, so two writes within a second are missed), and install a new certificate with an
 * old key when only one of the two files has been replaced yet. Here the files are compared by
 * content hash, a new pair is installed only when its key signs for its certificate, and a bad
 * update is logged once and the last good material stays in use.
 */
public final class ReloadingTlsMaterial implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReloadingTlsMaterial.class);

  /** One daemon thread for every process-wide reload poll: reading a few small files is cheap. */
  private static final ScheduledExecutorService WATCHER =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "sieve-tls-reload");
            thread.setDaemon(true);
            return thread;
          });

  /** Outcome of one reload check. */
  public enum ReloadResult {
    UNCHANGED,
    RELOADED,
    REJECTED
  }

  private final String purpose;
  private final PemIdentity identity;
  private final Path trustFile;
  private final AdvancedTlsX509KeyManager keyManager;
  private final AdvancedTlsX509TrustManager trustManager;
  private volatile String identityDigest;
  private volatile String trustDigest;
  private volatile String lastRejected;
  private volatile ScheduledFuture<?> watch;

  private ReloadingTlsMaterial(
      String purpose,
      PemIdentity identity,
      Path trustFile,
      AdvancedTlsX509TrustManager trustManager) {
    this.purpose = purpose;
    this.identity = identity;
    this.trustFile = trustFile;
    this.keyManager = identity == null ? null : new AdvancedTlsX509KeyManager();
    this.trustManager = trustManager;
  }

  /**
   * Reads the files once (failing with the precise reason: startup must not continue with unusable
   * certificates).
   *
   * @param purpose what this material is for, in log lines and errors ("router server", ...)
   * @param identity certificate and key to present, or empty for none
   * @param trustFile CA bundle to verify peers against; empty = none, or the JDK's default trust
   *     store when {@code systemTrustWithoutFile}
   * @param verification whether peers' host names are checked too (clients) or only their chain
   */
  public static ReloadingTlsMaterial load(
      String purpose,
      Optional<PemIdentity> identity,
      Optional<Path> trustFile,
      boolean systemTrustWithoutFile,
      Verification verification) {
    AdvancedTlsX509TrustManager trust = null;
    try {
      if (trustFile.isPresent() || systemTrustWithoutFile) {
        trust = AdvancedTlsX509TrustManager.newBuilder().setVerification(verification).build();
        if (trustFile.isEmpty()) {
          trust.useSystemDefaultTrustCerts();
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          purpose + ": cannot set up certificate verification: " + e.getMessage(), e);
    }
    ReloadingTlsMaterial material =
        new ReloadingTlsMaterial(purpose, identity.orElse(null), trustFile.orElse(null), trust);
    material.loadIdentity(true);
    material.loadTrust(true);
    return material;
  }

  /** The key manager to present this identity, or null when there is none. */
  public AdvancedTlsX509KeyManager keyManager() {
    return keyManager;
  }

  /** The trust manager peers are verified with, or null when peers are not verified. */
  public AdvancedTlsX509TrustManager trustManager() {
    return trustManager;
  }

  /** Re-reads the files now; what the periodic watch does. */
  public synchronized ReloadResult reloadIfChanged() {
    ReloadResult a = loadIdentity(false);
    ReloadResult b = loadTrust(false);
    if (a == ReloadResult.REJECTED || b == ReloadResult.REJECTED) {
      return ReloadResult.REJECTED;
    }
    return a == ReloadResult.RELOADED || b == ReloadResult.RELOADED
        ? ReloadResult.RELOADED
        : ReloadResult.UNCHANGED;
  }

  /** Checks the files every {@code period} from now on (idempotent). */
  public synchronized ReloadingTlsMaterial watch(Duration period) {
    if (watch == null && (identity != null || trustFile != null)) {
      long millis = period.toMillis();
      watch =
          WATCHER.scheduleWithFixedDelay(
              this::reloadQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (watch != null) {
      watch.cancel(false);
      watch = null;
    }
  }

  private void reloadQuietly() {
    try {
      reloadIfChanged();
    } catch (RuntimeException e) {
      log.warn("{}: certificate reload check failed: {}", purpose, e.toString());
    }
  }

  private ReloadResult loadIdentity(boolean initial) {
    if (identity == null) {
      return ReloadResult.UNCHANGED;
    }
    byte[] cert;
    byte[] key;
    try {
      cert = Files.readAllBytes(identity.certFile());
      key = Files.readAllBytes(identity.keyFile());
    } catch (IOException e) {
      return rejected(initial, "cannot read " + identity + ": " + e, "io:" + e.getMessage());
    }
    String digest = Sha256.of(cert) + Sha256.of(key);
    if (digest.equals(identityDigest)) {
      return ReloadResult.UNCHANGED;
    }
    try {
      X509Certificate[] chain = certificates(cert, identity.certFile());
      PrivateKey privateKey = privateKey(key, identity.keyFile());
      requireMatchingPair(chain[0], privateKey);
      keyManager.updateIdentityCredentials(chain, privateKey);
      identityDigest = digest;
      log.info(
          "{}: {} certificate {} (valid until {}) from {}",
          purpose,
          initial ? "loaded" : "reloaded",
          PeerIdentity.describe(chain[0]),
          chain[0].getNotAfter().toInstant(),
          identity.certFile());
      return ReloadResult.RELOADED;
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      return rejected(initial, identity + ": " + e.getMessage(), digest);
    }
  }

  private ReloadResult loadTrust(boolean initial) {
    if (trustFile == null) {
      return ReloadResult.UNCHANGED;
    }
    byte[] bundle;
    try {
      bundle = Files.readAllBytes(trustFile);
    } catch (IOException e) {
      return rejected(initial, "cannot read " + trustFile + ": " + e, "io:" + e.getMessage());
    }
    String digest = Sha256.of(bundle);
    if (digest.equals(trustDigest)) {
      return ReloadResult.UNCHANGED;
    }
    try {
      X509Certificate[] cas = certificates(bundle, trustFile);
      trustManager.updateTrustCredentials(cas);
      trustDigest = digest;
      log.info(
          "{}: {} {} trusted CA certificate(s) from {}",
          purpose,
          initial ? "loaded" : "reloaded",
          cas.length,
          trustFile);
      return ReloadResult.RELOADED;
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      return rejected(initial, trustFile + ": " + e.getMessage(), digest);
    }
  }

  private ReloadResult rejected(boolean initial, String reason, String digest) {
    if (initial) {
      throw new IllegalArgumentException(purpose + ": " + reason);
    }
    if (!digest.equals(lastRejected)) {
      lastRejected = digest;
      log.warn(
          "{}: new certificate files rejected, the previous ones stay in use: {}", purpose, reason);
    }
    return ReloadResult.REJECTED;
  }

  private static X509Certificate[] certificates(byte[] pem, Path file)
      throws GeneralSecurityException {
    X509Certificate[] certs = CertificateUtils.getX509Certificates(new ByteArrayInputStream(pem));
    if (certs.length == 0) {
      throw new IllegalArgumentException("no PEM certificate in " + file);
    }
    return certs;
  }

  private static PrivateKey privateKey(byte[] pem, Path file)
      throws GeneralSecurityException, IOException {
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new IllegalArgumentException(
          file
              + " is not a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert it with"
              + " `openssl pkcs8 -topk8 -nocrypt` or set cert-manager's privateKey.encoding: PKCS8");
    }
    return CertificateUtils.getPrivateKey(new ByteArrayInputStream(pem));
  }

  /** The key must sign for the certificate: never install a new certificate with an old key. */
  private static void requireMatchingPair(X509Certificate cert, PrivateKey key)
      throws GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default ->
              throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        };
    byte[] nonce = new byte[32];
    new SecureRandom().nextBytes(nonce);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(nonce);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(cert.getPublicKey());
    verifier.update(nonce);
    if (!verifier.verify(signature)) {
      throw new IllegalArgumentException("the private key does not belong to the certificate");
    }
  }
}
