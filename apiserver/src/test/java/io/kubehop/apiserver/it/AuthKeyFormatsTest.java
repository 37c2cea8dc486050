package io.kubehop.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.apiserver.ApiServer;
import io.kubehop.apiserver.auth.AccessOptions;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls-private-key-file} in the PEM forms upstream accepts: PKCS#8, and PKCS#1 / SEC1. */
class AuthKeyFormatsTest {

  @TempDir Path tmp;

  @Test
  void ecKeysInSec1AndPkcs8Serve() throws Exception {
    TestPki pki = new TestPki("ca");
    TestPki.Issued serving = pki.server();
    Path cert = TestPki.writePem(tmp.resolve("s.crt"), serving.cert());
    // "EC PRIVATE KEY" (SEC1, the PKCS#1 of EC keys) with its named curve, as openssl writes it
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(serving.keys().getPrivate().getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    byte[] sec1 =
        new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters())
            .getEncoded();
    assertServes(
        pki,
        cert,
        TestPki.writePem(tmp.resolve("sec1.key"), new PemObject("EC PRIVATE KEY", sec1)));
    assertServes(
        pki,
        cert,
        TestPki.writePem(
            tmp.resolve("pkcs8.key"),
            new JcaPKCS8Generator(serving.keys().getPrivate(), null).generate()));
  }

  @Test
  void rsaKeysInPkcs1Serve() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair rsa = g.generateKeyPair();
    TestPki pki = new TestPki("ca");
    TestPki.Issued serving = pki.server(rsa);
    Path cert = TestPki.writePem(tmp.resolve("r.crt"), serving.cert());
    // a KeyPair of RSA keys is written as "RSA PRIVATE KEY" (PKCS#1)
    assertServes(pki, cert, TestPki.writePem(tmp.resolve("pkcs1.key"), rsa));
  }

  private void assertServes(TestPki pki, Path cert, Path key) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ApiServer server =
          ApiServer.start(
                  vertx,
                  new ApiServer.Options(
                          tmp.resolve("home-" + key.getFileName()),
                          "127.0.0.1",
                          0,
                          Duration.ofSeconds(40),
                          Duration.ofSeconds(5))
                      .withAccess(new AccessOptions(cert, key, null, null, "AlwaysAllow", null)))
              .await();
      try {
        HttpClient http =
            HttpClient.newBuilder()
                .sslContext(pki.context(null))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + server.port() + "/api/v1/namespaces"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), key.getFileName().toString());
      } finally {
        server.close().await();
      }
    } finally {
      vertx.close().await();
    }
  }
}
