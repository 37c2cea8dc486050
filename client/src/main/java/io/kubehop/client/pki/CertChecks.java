package io.kubehop.client.pki;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether a certificate found on disk can be kept. Each check returns why not, or null when it can:
 * kubeadm keeps an existing certificate when it is signed by the CA and has the wanted names, and
 * renews it near its end.
 */
final class CertChecks {

  /** Renew a certificate this long before it ends, so a running cluster never sees it expire. */
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private CertChecks() {
    throw new AssertionError("No instances.");
  }

  /** Why {@code ca} cannot be the cluster CA, or null. */
  static String caProblem(CertKeyPair ca, Instant now) {
    X509Certificate cert = ca.certificate();
    if (cert.getBasicConstraints() < 0) {
      return "is not a CA";
    }
    if (!signedBy(cert, cert)) {
      return "is not self-signed";
    }
    return commonProblem(ca, now);
  }

  /** Why {@code leaf} is not what {@code config} asks of a leaf of {@code ca}, or null. */
  static String leafProblem(CertKeyPair leaf, CertConfig config, X509Certificate ca, Instant now) {
    X509Certificate cert = leaf.certificate();
    if (!signedBy(cert, ca)) {
      return "is not signed by the CA";
    }
    if (!cert.getSubjectX500Principal().equals(config.principal())) {
      return "has subject " + cert.getSubjectX500Principal() + ", want " + config.principal();
    }
    try {
      List<String> usages = cert.getExtendedKeyUsage();
      if (usages == null || !usages.contains(config.usage().oid())) {
        return "lacks extended key usage " + config.usage();
      }
      if (!AltNames.of(cert).containsAll(config.altNames())) {
        return "lacks SANs of " + config.altNames();
      }
    } catch (CertificateParsingException e) {
      return "cannot be parsed: " + e.getMessage();
    }
    return commonProblem(leaf, now);
  }

  private static String commonProblem(CertKeyPair pair, Instant now) {
    X509Certificate cert = pair.certificate();
    if (now.isBefore(cert.getNotBefore().toInstant())) {
      return "is not valid before " + cert.getNotBefore().toInstant();
    }
    if (cert.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
      return "expires at " + cert.getNotAfter().toInstant();
    }
    if (!matches(pair.key(), cert.getPublicKey())) {
      return "does not match its key";
    }
    return null;
  }

  /** Whether {@code issuer} issued {@code cert}: names the same, and the signature verifies. */
  static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
    if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    try {
      cert.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Whether {@code key} is the private half of {@code publicKey}: it signs what that verifies. */
  static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return false;
    }
    try {
      byte[] challenge = "kubehop pki key check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
