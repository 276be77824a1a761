package dev.sieve.core.security;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A certificate chain and its private key as two PEM files (the layout of a Kubernetes TLS Secret:
 * {@code tls.crt}, {@code tls.key}). The key must be PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}),
 * RSA or EC.
 */
public record PemIdentity(Path certFile, Path keyFile) {

  public PemIdentity {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
  }

  @Override
  public String toString() {
    return certFile + " + " + keyFile;
  }
}
