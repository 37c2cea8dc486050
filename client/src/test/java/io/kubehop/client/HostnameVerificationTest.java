package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.rest.Kubeconfig;
import io.kubehop.client.stream.StreamingClient;
import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.client.testing.TestPki;
import io.kubehop.testkit.Kubeconfigs;
import io.kubehop.testkit.ProcessResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host names are verified on TLS, by the REST and the Vert.x transports alike: a server whose
 * certificate, from a trusted CA, names another host is refused; {@code insecure-skip-tls-verify}
 * accepts it (and only the context that says so).
 */
class HostnameVerificationTest {

  @TempDir static Path dir;
  static TestPki pki;
  static FakeApiServer wrongName;
  static FakeApiServer rightName;

  @BeforeAll
  static void start() throws Exception {
    pki = new TestPki();
    wrongName = FakeApiServer.https(pki.serverContext(pki.server("dns:other.example")));
    rightName = FakeApiServer.https(pki.serverContext(pki.server("ip:127.0.0.1")));
    for (FakeApiServer server : new FakeApiServer[] {wrongName, rightName}) {
      server.on("GET", "/api/v1/namespaces/default/pods", FakeApiServer.json(200, TlsTest.TABLE));
    }
  }

  @AfterAll
  static void stop() {
    wrongName.close();
    rightName.close();
  }

  @Test
  void restClientRefusesACertificateForAnotherHost() throws Exception {
    ProcessResult result = Cli.run(trusting(wrongName), "get", "pods");

    assertEquals(1, result.exitCode());
    assertEquals("", result.stdout());
    assertTrue(result.stderr().startsWith("Unable to connect to the server: "), result.stderr());
    assertTrue(result.stderr().contains("127.0.0.1"), result.stderr());
  }

  @Test
  void insecureSkipTlsVerifyAcceptsItWithoutTurningVerificationOffForOthers() throws Exception {
    Path insecure = Files.createTempFile(dir, "insecure", "");
    Files.writeString(
        insecure, Kubeconfigs.text(wrongName.url(), "default", "insecure-skip-tls-verify: true"));

    assertEquals(new ProcessResult(0, "NAME\nweb\n", ""), Cli.run(insecure, "get", "pods"));
    assertEquals(1, Cli.run(trusting(wrongName), "get", "pods").exitCode(), "still verified");
    assertEquals(
        new ProcessResult(0, "NAME\nweb\n", ""), Cli.run(trusting(rightName), "get", "pods"));
  }

  @Test
  void streamingClientRefusesACertificateForAnotherHost() throws Exception {
    Kubeconfig config = Kubeconfig.load(trusting(wrongName), null);
    URI server = URI.create(wrongName.url());
    try (StreamingClient client = new StreamingClient(config.connection())) {
      CompletionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              CompletionException.class,
              () ->
                  client
                      .netClient()
                      .connect(server.getPort(), server.getHost())
                      .toCompletionStage()
                      .toCompletableFuture()
                      .orTimeout(10, TimeUnit.SECONDS)
                      .join());
      assertInstanceOf(SSLHandshakeException.class, rootOrSsl(e), e.toString());
    }
    Kubeconfig right = Kubeconfig.load(trusting(rightName), null);
    URI rightServer = URI.create(rightName.url());
    try (StreamingClient client = new StreamingClient(right.connection())) {
      client
          .netClient()
          .connect(rightServer.getPort(), rightServer.getHost())
          .toCompletionStage()
          .toCompletableFuture()
          .orTimeout(10, TimeUnit.SECONDS)
          .join()
          .close();
    }
  }

  private static Throwable rootOrSsl(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException) {
        return t;
      }
    }
    return e;
  }

  private static Path trusting(FakeApiServer server) throws Exception {
    Path file = Files.createTempFile(dir, "kubeconfig", "");
    String ca =
        Base64.getEncoder()
            .encodeToString(
                TestPki.pem(pki.ca().certificate()).getBytes(StandardCharsets.US_ASCII));
    Files.writeString(
        file, Kubeconfigs.text(server.url(), "default", "certificate-authority-data: " + ca));
    return file;
  }
}
