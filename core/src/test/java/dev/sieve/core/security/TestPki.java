package dev.sieve.core.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A CA generated for one test, writing its certificates as PEM files under a temporary directory.
 */
final class TestPki {

  final Path dir;
  final LocalCertificateAuthority ca;
  final Path caFile;

  private TestPki(Path dir, LocalCertificateAuthority ca, Path caFile) {
    this.dir = dir;
    this.ca = ca;
    this.caFile = caFile;
  }

  static TestPki create(Path dir, String name) {
    LocalCertificateAuthority ca = LocalCertificateAuthority.create(name, Duration.ofDays(1));
    Path caFile = dir.resolve(name + "-ca.crt");
    ca.write(caFile, dir.resolve(name + "-ca.key"));
    return new TestPki(dir, ca, caFile);
  }

  /**
   * Issues a certificate for {@code commonName} with the given SANs into {@code <file>.crt/.key}.
   */
  PemIdentity issue(String file, String commonName, String... names) {
    return ca.issue(commonName, List.of(names), Duration.ofDays(1))
        .write(dir.resolve(file + ".crt"), dir.resolve(file + ".key"));
  }
}
