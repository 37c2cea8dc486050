package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code logs}: kubectl's query string, the defaulted-container notice, and the streamed body. */
class LogsCommandTest {

  static final String POD =
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web\",\"namespace\":"
          + "\"default\",\"uid\":\"u1\"},\"spec\":{\"initContainers\":[{\"name\":\"setup\",\"image\":\"busybox\"}],"
          + "\"containers\":[{\"name\":\"web\",\"image\":\"nginx\"},{\"name\":\"side\",\"image\":\"busybox\"}]}}";
  static final String LOG = "/api/v1/namespaces/default/pods/web/log";

  @TempDir Path dir;
  FakeApiServer server;
  Path kubeconfig;

  @BeforeEach
  void start() throws Exception {
    server = new FakeApiServer();
    server
        .on("GET", "/api/v1/namespaces/default/pods/web", FakeApiServer.json(200, POD))
        .on("GET", LOG, FakeApiServer.chunks("text/plain", "line 1\n", "line 2\n", "partial"));
    kubeconfig = server.writeKubeconfig(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void defaultsToFirstContainerWithNotice() {
    ProcessResult result = Cli.run(kubeconfig, "logs", "web");

    assertEquals(
        new ProcessResult(
            0,
            "line 1\nline 2\npartial",
            "Defaulted container \"web\" out of: web, side, setup (init)\n"),
        result);
    assertEquals(
        List.of("/api/v1/namespaces/default/pods/web", LOG + "?container=web"),
        server.requests().stream().map(FakeApiServer.Request::uri).toList());
    assertEquals("application/json, */*", server.requests().get(1).header("Accept"));
  }

  static Stream<Arguments> flags() {
    return Stream.of(
        Arguments.of(List.of("logs", "web"), LOG + "?container=web"),
        Arguments.of(
            List.of("logs", "pod/web", "-c", "side", "-f", "--tail", "10"),
            LOG + "?container=side&follow=true&tailLines=10"),
        Arguments.of(
            List.of(
                "logs", "web", "--since=10s", "--timestamps", "--previous", "--limit-bytes=100"),
            LOG + "?container=web&limitBytes=100&previous=true&sinceSeconds=10&timestamps=true"),
        Arguments.of(
            List.of("logs", "web", "side", "--since=1m30s", "--tail=0"),
            LOG + "?container=side&sinceSeconds=90&tailLines=0"));
  }

  /** Same query, output and notice as kubectl 1.33. */
  @ParameterizedTest
  @MethodSource("flags")
  void sameQueryAsKubectl(List<String> args, String expectedUri) throws Exception {
    ProcessResult ours = Cli.run(kubeconfig, args.toArray(String[]::new));
    String ourUri = server.requests().get(1).uri();
    ProcessResult kubectl =
        new Kubectl("1.33", kubeconfig, Files.createTempDirectory(dir, "cache"))
            .run(args.toArray(String[]::new));
    List<FakeApiServer.Request> all = server.requests();

    assertEquals(expectedUri, ourUri);
    assertEquals(expectedUri, all.get(all.size() - 1).uri(), "kubectl's query");
    assertEquals(kubectl, ours);
  }
}
