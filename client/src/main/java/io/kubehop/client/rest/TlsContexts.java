package io.kubehop.client.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Builds an {@link SSLContext} from a kubeconfig's {@link TlsConfig}. */
public final class TlsContexts {

  private TlsContexts() {
    throw new AssertionError("No instances.");
  }

  static SSLContext create(TlsConfig tls) throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          tls.clientCertPem() != null && tls.clientKeyPem() != null
              ? keyManagers(tls).getKeyManagers()
              : null,
          trustManagers(tls),
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("unable to load TLS configuration: " + e.getMessage(), e);
    }
  }

  /**
   * The trust managers for {@code tls}: trust-all for {@code insecure-skip-tls-verify}, the CA
   * bundle when given, else null (the JVM's defaults). Shared with the Vert.x streaming transports.
   */
  public static TrustManager[] trustManagers(TlsConfig tls)
      throws GeneralSecurityException, IOException {
    if (tls.insecureSkipVerify()) {
      return new TrustManager[] {new TrustAll()};
    }
    if (tls.caPem() == null) {
      return null;
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (Certificate cert : certificates(tls.caPem())) {
      store.setCertificateEntry("ca-" + i++, cert);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  /** The client certificate's key managers; call only when {@code tls} has a client certificate. */
  public static KeyManagerFactory keyManagers(TlsConfig tls)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setKeyEntry(
        "client",
        privateKey(tls.clientKeyPem()),
        new char[0],
        certificates(tls.clientCertPem()).toArray(new Certificate[0]));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, new char[0]);
    return factory;
  }

  private static Collection<? extends Certificate> certificates(byte[] pem)
      throws GeneralSecurityException {
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem));
  }

  /** PKCS#8 ({@code BEGIN PRIVATE KEY}) RSA or EC keys; PKCS#1 keys are not supported yet. */
  private static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (!text.contains("BEGIN PRIVATE KEY")) {
      throw new GeneralSecurityException(
          "only PKCS#8 client keys (BEGIN PRIVATE KEY) are supported");
    }
    String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(spec);
    } catch (GeneralSecurityException notRsa) {
      return KeyFactory.getInstance("EC").generatePrivate(spec);
    }
  }

  /** {@code insecure-skip-tls-verify: true}: any server certificate is accepted, as in kubectl. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
