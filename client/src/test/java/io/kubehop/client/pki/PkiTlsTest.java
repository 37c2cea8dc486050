package io.kubehop.client.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files work where they will be used: Vert.x loads the keys ({@link PemKeyCertOptions}), a
 * client trusting only {@code ca.crt} verifies the apiserver certificate for {@code 127.0.0.1} and
 * {@code localhost} (and refuses another name), and a server that requires client certificates
 * accepts {@code admin.crt} as {@code kubehop-admin}. Every connection goes to 127.0.0.1; the name
 * is what the client verifies.
 */
class PkiTlsTest {

  @TempDir static Path home;
  static PkiLayout layout;
  static Vertx vertx;
  static HttpServer apiserver;
  static HttpServer mutual;

  @BeforeAll
  static void start() throws Exception {
    layout = new PkiLayout(home);
    new ClusterPki(layout).ensure(PkiFixture.request(List.of(), List.of("node-1=127.0.0.1")));
    vertx = Vertx.vertx();
    apiserver =
        await(
            vertx
                .createHttpServer(
                    new HttpServerOptions().setSsl(true).setKeyCertOptions(apiserverKey()))
                .requestHandler(r -> r.response().end("ok"))
                .listen(0, "127.0.0.1"));
    mutual =
        await(
            vertx
                .createHttpServer(
                    new HttpServerOptions()
                        .setSsl(true)
                        .setKeyCertOptions(apiserverKey())
                        .setTrustOptions(
                            new PemTrustOptions().addCertPath(layout.caCert().toString()))
                        .setClientAuth(ClientAuth.REQUIRED))
                .requestHandler(
                    r -> {
                      try {
                        X509Certificate peer =
                            (X509Certificate) r.connection().sslSession().getPeerCertificates()[0];
                        r.response().end(peer.getSubjectX500Principal().getName());
                      } catch (Exception e) {
                        r.response().setStatusCode(500).end(e.toString());
                      }
                    })
                .listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void apiserverCertificateVerifiesFor127001AndLocalhost() throws Exception {
    HttpClient client = client(null);
    assertEquals("ok", get(client, apiserver, "127.0.0.1"));
    assertEquals("ok", get(client, apiserver, "localhost"));
    assertEquals("ok", get(client, apiserver, "kubernetes.default.svc"));
  }

  @Test
  void hostnameVerificationIsOnSoAnotherNameFails() {
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> get(client(null), apiserver, "kubehop.invalid"));
    assertSsl(e);
  }

  /** The failure is the TLS handshake's, not a connection's. */
  private static void assertSsl(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return;
      }
    }
    throw new AssertionError("not a TLS failure", e);
  }

  @Test
  void serverRequiringClientCertificatesAcceptsTheAdmin() throws Exception {
    PemKeyCertOptions admin =
        new PemKeyCertOptions()
            .setCertPath(layout.adminCert().toString())
            .setKeyPath(layout.adminKey().toString());
    assertEquals("CN=kubehop-admin,O=system:masters", get(client(admin), mutual, "127.0.0.1"));
  }

  @Test
  void kubeletClientCertificateIsAcceptedAsItsNode() throws Exception {
    PemKeyCertOptions kubelet =
        new PemKeyCertOptions()
            .setCertPath(layout.kubeletClientCert("node-1").toString())
            .setKeyPath(layout.kubeletClientKey("node-1").toString());
    assertEquals("CN=system:node:node-1,O=system:nodes", get(client(kubelet), mutual, "localhost"));
  }

  @Test
  void serverRequiringClientCertificatesRefusesAClientWithout() {
    assertSsl(assertThrows(ExecutionException.class, () -> get(client(null), mutual, "127.0.0.1")));
  }

  private static PemKeyCertOptions apiserverKey() {
    return new PemKeyCertOptions()
        .setCertPath(layout.apiserverCert().toString())
        .setKeyPath(layout.apiserverKey().toString());
  }

  private static HttpClient client(PemKeyCertOptions identity) {
    HttpClientOptions options =
        new HttpClientOptions()
            .setSsl(true)
            .setVerifyHost(true)
            .setTrustOptions(new PemTrustOptions().addCertPath(layout.caCert().toString()));
    if (identity != null) {
      options.setKeyCertOptions(identity);
    }
    return vertx.createHttpClient(options);
  }

  /** GET / from {@code server}, dialled at 127.0.0.1 but verified as {@code host}. */
  private static String get(HttpClient client, HttpServer server, String host) throws Exception {
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setServer(SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1"))
            .setHost(host)
            .setPort(server.actualPort())
            .setURI("/");
    return await(
        client
            .request(request)
            .compose(r -> r.send())
            .compose(r -> r.body())
            .map(Object::toString));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
