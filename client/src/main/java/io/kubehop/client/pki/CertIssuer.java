package io.kubehop.client.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
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
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the cluster's certificates as kubeadm's {@code pkiutil} does ({@code
 * NewCertificateAuthority}, {@code NewCertAndKey}): EC P-256 keys, SHA256withECDSA signatures,
 * random 128-bit serials. BouncyCastle builds the DER; the JDK makes the keys and signs.
 */
final class CertIssuer {

  /** The CA's name, and the default kubeadm gives its CA ({@code kubernetes}) made ours. */
  static final String CA_NAME = "kubehop-ca";

  /** kubeadm's {@code CertificateValidityPeriod} for the CA: ten years. */
  static final Duration CA_VALIDITY = Duration.ofDays(3650);

  /** kubeadm's {@code CertificateValidityPeriod} for leaves: one year. */
  static final Duration LEAF_VALIDITY = Duration.ofDays(365);

  private static final String SIGNATURE = "SHA256withECDSA";

  private final SecureRandom random;

  CertIssuer(SecureRandom random) {
    this.random = random;
  }

  /** A new self-signed CA, valid from {@code now} for ten years. */
  CertKeyPair newCertificateAuthority(Instant now) throws GeneralSecurityException {
    KeyPair keys = newKeyPair();
    X500Name name = new X500Name("CN=" + CA_NAME);
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            serial(),
            Date.from(now),
            Date.from(now.plus(CA_VALIDITY)),
            name,
            keys.getPublic());
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensions.createSubjectKeyIdentifier(keys.getPublic()));
    } catch (IOException e) {
      throw new GeneralSecurityException("encoding the CA's extensions", e);
    }
    return new CertKeyPair(sign(builder, keys.getPrivate()), keys.getPrivate());
  }

  /**
   * A new key and a certificate for it signed by {@code ca}, valid for a year but never past the
   * CA. It starts when the CA does, as kubeadm's {@code NewSignedCert} has it, so clocks that
   * disagree a little never see a leaf that is not yet valid.
   */
  CertKeyPair newSignedCert(CertConfig config, CertKeyPair ca, Instant now)
      throws GeneralSecurityException {
    KeyPair keys = newKeyPair();
    X509Certificate caCert = ca.certificate();
    Instant notAfter = now.plus(LEAF_VALIDITY);
    if (notAfter.isAfter(caCert.getNotAfter().toInstant())) {
      notAfter = caCert.getNotAfter().toInstant();
    }
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            // The issuer's bytes exactly as the CA's subject, so that path building matches them.
            X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()),
            serial(),
            caCert.getNotBefore(),
            Date.from(notAfter),
            config.subject(),
            keys.getPublic());
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(config.usage().purpose));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCert));
      GeneralNames sans = generalNames(config.altNames());
      if (sans != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, sans);
      }
    } catch (IOException e) {
      throw new GeneralSecurityException("encoding the extensions of " + config.commonName(), e);
    }
    return new CertKeyPair(sign(builder, ca.key()), keys.getPrivate());
  }

  /**
   * The CA's own subjectKeyIdentifier, and nothing else: BouncyCastle's form from a certificate
   * adds the CA's name and serial, which Go leaves out and which would tie leaves to one CA
   * certificate rather than to its key.
   */
  private static AuthorityKeyIdentifier authorityKeyIdentifier(
      X509Certificate caCert, JcaX509ExtensionUtils extensions) throws IOException {
    byte[] ski = caCert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (ski == null) {
      return extensions.createAuthorityKeyIdentifier(caCert.getPublicKey());
    }
    return new AuthorityKeyIdentifier(
        SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(ski))
            .getKeyIdentifier());
  }

  /** DNS names first, then IPs, as Go writes them; null when there are none. */
  private static GeneralNames generalNames(AltNames names) {
    List<GeneralName> all = new ArrayList<>();
    names.dnsNames().forEach(dns -> all.add(new GeneralName(GeneralName.dNSName, dns)));
    for (InetAddress ip : names.ips()) {
      all.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress())));
    }
    return all.isEmpty() ? null : new GeneralNames(all.toArray(GeneralName[]::new));
  }

  private KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    return generator.generateKeyPair();
  }

  /** A random positive 128-bit serial (RFC 5280 asks for positive; zero is not). */
  private BigInteger serial() {
    BigInteger serial;
    do {
      serial = new BigInteger(128, random);
    } while (serial.signum() == 0);
    return serial;
  }

  private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("signing with " + SIGNATURE, e);
    }
  }
}
