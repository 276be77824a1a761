package dev.sieve.core.security;

import io.grpc.Grpc;
import io.grpc.ServerCall;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The identities a verified client certificate proves: its DNS and URI subject alternative names
 * (what cert-manager's {@code dnsNames} / {@code uris} set, e.g. a SPIFFE id) and its subject
 * common name. Authorization lists ({@code SIEVE_TLS_ALLOWED_CLIENTS}, tenant {@code
 * certificate_identities}) are matched against these strings exactly.
 */
public final class PeerIdentity {

  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;

  private PeerIdentity() {}

  /**
   * The identities of the verified client certificate of {@code call}; empty when the call came
   * over plaintext or the client presented no certificate.
   */
  public static Set<String> of(ServerCall<?, ?> call) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    return session == null ? Set.of() : of(session);
  }

  /** The identities of the session's peer certificate; empty when the peer presented none. */
  public static Set<String> of(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? of(leaf) : Set.of();
    } catch (SSLPeerUnverifiedException e) {
      return Set.of();
    }
  }

  /** DNS and URI subject alternative names, then the subject CN. */
  public static Set<String> of(X509Certificate certificate) {
    Set<String> identities = new LinkedHashSet<>();
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          if (name.size() >= 2
              && name.get(0) instanceof Integer type
              && (type == SAN_DNS || type == SAN_URI)
              && name.get(1) instanceof String value) {
            identities.add(value);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // A certificate with unparsable alternative names proves only its subject.
    }
    commonName(certificate).ifPresent(identities::add);
    return identities;
  }

  /** "CN=..., SANs [...]" for log lines. */
  public static String describe(X509Certificate certificate) {
    return "'" + certificate.getSubjectX500Principal().getName() + "' " + of(certificate);
  }

  private static Optional<String> commonName(X509Certificate certificate) {
    try {
      LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
      for (Rdn rdn : name.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return Optional.of(rdn.getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      // No usable subject.
    }
    return Optional.empty();
  }
}
