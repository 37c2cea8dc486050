package io.kubehop.client.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

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
      throw new IOException(e.getMessage(), e);
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
    TrustManagerFactory factory = trustManagerFactory(tls);
    return factory == null ? null : factory.getTrustManagers();
  }

  /**
   * The factory of the trust managers for the kubeconfig's CA bundle, or null when it names none
   * (or skips verification). Vert.x takes a factory as is, where a bare trust manager goes through
   * a wrapper of its own that needs SLF4J on the class path.
   */
  public static TrustManagerFactory trustManagerFactory(TlsConfig tls)
      throws GeneralSecurityException {
    if (tls.insecureSkipVerify() || tls.caPem() == null) {
      return null;
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new KeyStoreException(e);
    }
    Collection<? extends Certificate> roots;
    try {
      roots = certificates(tls.caPem());
    } catch (CertificateException e) {
      roots = List.of();
    }
    if (roots.isEmpty()) {
      throw new CertificateException(
          "unable to load root certificates: unable to parse bytes as PEM block");
    }
    int i = 0;
    for (Certificate cert : roots) {
      store.setCertificateEntry("ca-" + i++, cert);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }

  /** The client certificate's key managers; call only when {@code tls} has a client certificate. */
  public static KeyManagerFactory keyManagers(TlsConfig tls)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setKeyEntry(
        "client",
        PemPrivateKeys.read(tls.clientKeyPem()),
        new char[0],
        clientChain(tls.clientCertPem()));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, new char[0]);
    return factory;
  }

  private static Certificate[] clientChain(byte[] pem) throws CertificateException {
    Collection<? extends Certificate> chain;
    try {
      chain = certificates(pem);
    } catch (CertificateException e) {
      chain = List.of();
    }
    if (chain.isEmpty()) {
      throw new CertificateException("tls: failed to find any PEM data in certificate input");
    }
    return chain.toArray(new Certificate[0]);
  }

  private static Collection<? extends Certificate> certificates(byte[] pem)
      throws CertificateException {
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem));
  }

  /**
   * {@code insecure-skip-tls-verify: true}: any server certificate is accepted, as in kubectl. It
   * is an {@link X509ExtendedTrustManager} because JSSE checks the host name itself around a plain
   * {@code X509TrustManager}; only an extended one that checks nothing turns that off too, for this
   * context alone (the JDK client's own switch is a JVM-wide system property).
   */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
