package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.client.rest.Kubeconfig;
import io.kubehop.client.stream.StreamingClient;
import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.ConnectProxy;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.client.testing.TestPki;
import io.kubehop.testkit.ProcessResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's {@code proxy-url}: https requests tunnel through an http proxy with {@code
 * CONNECT}, TLS (and host name verification) end to end; schemes the JDK client cannot speak are
 * refused with a message, never bypassed.
 */
class ProxyTest {

  @TempDir Path dir;

  @Test
  void tunnelsThroughAnHttpProxy() throws Exception {
    TestPki pki = new TestPki();
    try (FakeApiServer server = FakeApiServer.https(pki.serverContext(pki.server("ip:127.0.0.1")));
        ConnectProxy proxy = new ConnectProxy()) {
      server.on("GET", "/api/v1/namespaces/default/pods", FakeApiServer.json(200, TlsTest.TABLE));
      String ca =
          Base64.getEncoder()
              .encodeToString(
                  TestPki.pem(pki.ca().certificate()).getBytes(StandardCharsets.US_ASCII));

      ProcessResult result =
          Cli.run(
              kubeconfig(server.url(), "certificate-authority-data: " + ca, proxy.url()),
              "get",
              "pods");

      assertEquals(new ProcessResult(0, "NAME\nweb\n", ""), result);
      int port = URI.create(server.url()).getPort();
      assertEquals(List.of("CONNECT 127.0.0.1:" + port + " HTTP/1.1"), proxy.requestLines());
      assertEquals("Bearer secret-token", server.requests().get(0).header("Authorization"));
    }
  }

  @Test
  void streamingClientTunnelsThroughTheSameProxy() throws Exception {
    TestPki pki = new TestPki();
    try (FakeApiServer server = FakeApiServer.https(pki.serverContext(pki.server("ip:127.0.0.1")));
        ConnectProxy proxy = new ConnectProxy()) {
      String ca =
          Base64.getEncoder()
              .encodeToString(
                  TestPki.pem(pki.ca().certificate()).getBytes(StandardCharsets.US_ASCII));
      Kubeconfig config =
          Kubeconfig.load(
              kubeconfig(server.url(), "certificate-authority-data: " + ca, proxy.url()), null);
      URI target = URI.create(server.url());
      try (StreamingClient client = new StreamingClient(config.connection())) {
        client
            .netClient()
            .connect(target.getPort(), target.getHost())
            .toCompletionStage()
            .toCompletableFuture()
            .orTimeout(10, TimeUnit.SECONDS)
            .join()
            .close();
      }
      assertEquals(
          List.of("CONNECT 127.0.0.1:" + target.getPort() + " HTTP/1.1"), proxy.requestLines());
    }
  }

  @Test
  void socksProxiesAreRefused() throws Exception {
    ProcessResult result =
        Cli.run(
            kubeconfig(
                "https://127.0.0.1:1", "insecure-skip-tls-verify: true", "socks5://127.0.0.1:1080"),
            "get",
            "pods");

    assertEquals(
        new ProcessResult(
            1,
            "",
            "error: proxy-url socks5://127.0.0.1:1080: kubehop supports only http proxies"
                + " (scheme \"socks5\")\n"),
        result);
  }

  @Test
  void anUnknownSchemeIsAConfigurationError() throws Exception {
    ProcessResult result =
        Cli.run(
            kubeconfig("https://127.0.0.1:1", "insecure-skip-tls-verify: true", "ftp://x:1"),
            "get",
            "pods");

    assertEquals(
        new ProcessResult(
            1,
            "",
            "Error in configuration: invalid 'proxy-url' \"ftp://x:1\" for cluster \"kubehop\":"
                + " unsupported scheme \"ftp\", must be http, https, or socks5\n"),
        result);
  }

  private Path kubeconfig(String server, String tlsLine, String proxyUrl) throws Exception {
    return Files.writeString(
        dir.resolve("kubeconfig"),
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kubehop
          cluster:
            server: %s
            %s
            proxy-url: %s
        users:
        - name: admin
          user:
            token: secret-token
        contexts:
        - name: kubehop
          context: {cluster: kubehop, user: admin}
        current-context: kubehop
        """
            .formatted(server, tlsLine, proxyUrl));
  }
}
