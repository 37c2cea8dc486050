package io.kubehop.client.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throw-away PKI for TLS tests, made in memory with BouncyCastle: a CA, server certificates for
 * given names, and client certificates with RSA or EC keys, written as PEM in each form a
 * kubeconfig may hold. Nothing is stored; every run has new keys.
 */
public final class TestPki {

  /** How a private key is written to PEM. */
  public enum KeyFormat {
    /** {@code BEGIN RSA PRIVATE KEY} (openssl genrsa -traditional). */
    RSA_PKCS1("RSA", "-----BEGIN RSA PRIVATE KEY-----"),
    /** {@code BEGIN PRIVATE KEY} holding an RSA key. */
    RSA_PKCS8("RSA", "-----BEGIN PRIVATE KEY-----"),
    /** {@code BEGIN EC PRIVATE KEY} (SEC 1, as kubeadm and openssl ecparam write it). */
    EC_SEC1("EC", "-----BEGIN EC PRIVATE KEY-----"),
    /** {@code BEGIN EC PARAMETERS} then {@code BEGIN EC PRIVATE KEY} (openssl ecparam -genkey). */
    EC_SEC1_WITH_PARAMETERS("EC", "-----BEGIN EC PARAMETERS-----"),
    /** {@code BEGIN PRIVATE KEY} holding an EC key. */
    EC_PKCS8("EC", "-----BEGIN PRIVATE KEY-----");

    public final String algorithm;
    public final String firstLine;

    KeyFormat(String algorithm, String firstLine) {
      this.algorithm = algorithm;
      this.firstLine = firstLine;
    }
  }

  /** A key and its certificate. */
  public record Identity(KeyPair keys, X509Certificate certificate) {}

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Identity ca;

  public TestPki() {
    KeyPair keys = keyPair("EC");
    ca = new Identity(keys, sign("CN=kubehop-test-ca", keys, null, true, null));
  }

  public Identity ca() {
    return ca;
  }

  /** A server certificate for {@code sans} ({@code ip:…} or {@code dns:…}), signed by the CA. */
  public Identity server(String... sans) {
    KeyPair keys = keyPair("EC");
    GeneralName[] names = new GeneralName[sans.length];
    for (int i = 0; i < sans.length; i++) {
      String[] kv = sans[i].split(":", 2);
      names[i] =
          new GeneralName(kv[0].equals("ip") ? GeneralName.iPAddress : GeneralName.dNSName, kv[1]);
    }
    return new Identity(keys, sign("CN=kube-apiserver", keys, ca, false, names));
  }

  /** A client certificate ({@code CN=user}) with an RSA or EC key, signed by the CA. */
  public Identity client(String user, String algorithm) {
    KeyPair keys = keyPair(algorithm);
    return new Identity(keys, sign("CN=" + user, keys, ca, false, null));
  }

  /** An SSL context presenting {@code identity} and trusting only this CA (for client certs). */
  public SSLContext serverContext(Identity identity) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "server",
          identity.keys().getPrivate(),
          new char[0],
          new X509Certificate[] {identity.certificate(), ca.certificate()});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca.certificate());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate as PEM. */
  public static String pem(X509Certificate certificate) {
    return write(certificate);
  }

  /** A private key as PEM in {@code format}. */
  public static String pem(PrivateKey key, KeyFormat format) {
    return switch (format) {
      case RSA_PKCS1 -> write(key); // BouncyCastle writes RSA keys in the traditional form
      case EC_SEC1 -> sec1(key);
      case EC_SEC1_WITH_PARAMETERS ->
          "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
              + sec1(key); // BggqhkjOPQMBBw== is the OID of prime256v1
      case RSA_PKCS8, EC_PKCS8 -> {
        try {
          yield write(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /**
   * SEC 1 as openssl writes it: the curve in the key's parameters field. (BouncyCastle's own PEM
   * writer leaves that field out for JDK keys, and such a key names no curve.)
   */
  private static String sec1(PrivateKey key) {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
      ECPrivateKey full =
          new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
      return write(new PemObject("EC PRIVATE KEY", full.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String write(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static KeyPair keyPair(String algorithm) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(
      String subject, KeyPair keys, Identity issuer, boolean isCa, GeneralName[] sans) {
    Instant now = Instant.now();
    X500Name subjectName = new X500Name(subject);
    X500Name issuerName =
        issuer == null
            ? subjectName
            : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
    PrivateKey signingKey = issuer == null ? keys.getPrivate() : issuer.keys().getPrivate();
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuerName,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              subjectName,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (sans != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
      }
      String algorithm =
          signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }
}
