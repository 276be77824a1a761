package dev.sieve.core.security;

import com.google.common.net.InetAddresses;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for loopback development ({@code ./sieve up --tls}) and tests:
 * an EC P-256 CA that issues leaf certificates usable as both TLS server and client certificates,
 * written as PEM files in the layout the services read (certificate chain, PKCS#8 key).
 *
 * <p>Never for production: the CA key lives next to the certificates. Production certificates come
 * from cert-manager or the operator's own PKI (docs/operations.md). Needs BouncyCastle ({@code
 * bcpkix-jdk18on}) on the classpath: an optional dependency of core, so the services, which only
 * read certificates, do not carry it.
 */
public final class LocalCertificateAuthority {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private LocalCertificateAuthority(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A certificate and its private key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {

    /** Writes the certificate and key as PEM, each atomically (a reader never sees half a file). */
    public PemIdentity write(Path certFile, Path keyFile) {
      writeAtomically(certFile, pem("CERTIFICATE", encoded(certificate)), false);
      writeAtomically(keyFile, pem("PRIVATE KEY", key.getEncoded()), true);
      return new PemIdentity(certFile, keyFile);
    }
  }

  /** A new self-signed CA named {@code commonName}, valid for {@code validity}. */
  public static LocalCertificateAuthority create(String commonName, Duration validity) {
    try {
      KeyPair pair = newKeyPair();
      X500Name name = name(commonName);
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              serial(),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(validity)),
              name,
              pair.getPublic());
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(pair.getPublic()));
      return new LocalCertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create a local CA: " + e.getMessage(), e);
    }
  }

  /** Loads a CA written by {@link #write(Path, Path)}. */
  public static LocalCertificateAuthority load(Path certFile, Path keyFile) {
    try (var certIn = Files.newInputStream(certFile);
        var keyIn = Files.newInputStream(keyFile)) {
      X509Certificate[] certs = CertificateUtils.getX509Certificates(certIn);
      PrivateKey key = CertificateUtils.getPrivateKey(keyIn);
      return new LocalCertificateAuthority(certs[0], key);
    } catch (IOException | GeneralSecurityException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("cannot load the local CA from " + certFile + ": " + e, e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Writes the CA certificate (the trust bundle peers use) and its key. */
  public void write(Path certFile, Path keyFile) {
    writeAtomically(certFile, pem("CERTIFICATE", encoded(certificate)), false);
    writeAtomically(keyFile, pem("PRIVATE KEY", key.getEncoded()), true);
  }

  /**
   * Issues a leaf certificate for server and client authentication.
   *
   * @param commonName subject CN (also an identity peers authorize by)
   * @param names DNS names and IP literals for the subject alternative names
   */
  public Issued issue(String commonName, List<String> names, Duration validity) {
    try {
      KeyPair pair = newKeyPair();
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              certificate,
              serial(),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(validity)),
              name(commonName),
              pair.getPublic());
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
      if (!names.isEmpty()) {
        List<GeneralName> alternatives = new ArrayList<>();
        for (String n : names) {
          alternatives.add(
              InetAddresses.isInetAddress(n)
                  ? new GeneralName(GeneralName.iPAddress, n)
                  : n.contains(":")
                      ? new GeneralName(GeneralName.uniformResourceIdentifier, n)
                      : new GeneralName(GeneralName.dNSName, n));
        }
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(alternatives.toArray(new GeneralName[0])));
      }
      return new Issued(sign(builder, key), pair.getPrivate());
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot issue a certificate for " + commonName + ": " + e.getMessage(), e);
    }
  }

  /** PEM text of one DER object. */
  public static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writeAtomically(Path file, String text, boolean secret) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      if (secret) {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
          // Best effort on non-POSIX file systems.
        }
      }
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Sieve local development")
        .addRDN(BCStyle.CN, commonName)
        .build();
  }

  private static BigInteger serial() {
    return new BigInteger(128, RANDOM);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
    return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
  }
}
