package io.kubehop.streaming.transport;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;

/**
 * The PEM files one end of a TLS hop uses, as the tiers' flags name them: its own certificate and
 * key (either may be absent on a client that presents none) and the CA it trusts for the other end.
 * A client verifies the server's name against the certificate (HTTPS endpoint identification, so an
 * IP address must be among its IP SANs); a server asks for a client certificate signed by that CA,
 * and a certificate the CA did not sign fails the handshake.
 *
 * @param certFile this end's certificate chain (PEM), or null
 * @param keyFile its private key (PEM; PKCS#8, PKCS#1 or SEC1), or null
 * @param caFile the CA that signed the other end's certificate, or null for the JDK's
 */
public record TlsFiles(Path certFile, Path keyFile, Path caFile) {

  public TlsFiles {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("a certificate needs its key, and a key its certificate");
    }
  }

  /** NetClient options that speak TLS with these files: present the certificate, trust the CA. */
  public NetClientOptions client(NetClientOptions options) {
    material(options);
    return options.setHostnameVerificationAlgorithm("HTTPS");
  }

  /** HttpClient options that speak TLS with these files, as {@link #client(NetClientOptions)}. */
  public HttpClientOptions client(HttpClientOptions options) {
    material(options);
    return options.setVerifyHost(true);
  }

  private void material(ClientOptionsBase options) {
    if (certFile != null) {
      options.setKeyCertOptions(
          new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString()));
    }
    if (caFile != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
    }
  }

  /**
   * Server options that serve TLS with the certificate, and, with a CA, ask each client for a
   * certificate signed by it ({@link ClientAuth#REQUEST}: a client without one still connects, and
   * the server answers 401 on its own terms).
   */
  public <T extends NetServerOptions> T server(T options) {
    if (certFile == null) {
      throw new IllegalStateException("a TLS server needs a certificate and key");
    }
    options
        .setSsl(true)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertPath(certFile.toString())
                .setKeyPath(keyFile.toString()));
    if (caFile != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
      options.setClientAuth(ClientAuth.REQUEST);
    }
    return options;
  }
}
