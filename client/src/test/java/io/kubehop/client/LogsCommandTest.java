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

  static Stream<Arguments> allContainers() {
    return Stream.of(
        Arguments.of(List.of("logs", "web", "--all-containers")),
        Arguments.of(List.of("logs", "web", "--all-containers", "--prefix")),
        Arguments.of(List.of("logs", "pod/web", "--prefix", "-c", "side")),
        Arguments.of(List.of("logs", "web", "--prefix")),
        Arguments.of(List.of("logs", "web", "--all-containers", "-c", "side")),
        Arguments.of(List.of("logs", "web", "--all-containers", "-f", "--max-log-requests=2")));
  }

  /**
   * {@code --all-containers} reads init containers first, then the others, one request each; {@code
   * --prefix} starts each line with {@code [pod/NAME/CONTAINER] }: the same requests, bytes,
   * messages and exit codes as kubectl 1.33.
   */
  @ParameterizedTest
  @MethodSource("allContainers")
  void allContainersAndPrefixesLikeKubectl(List<String> args) throws Exception {
    for (String c : List.of("setup", "web", "side")) {
      server.on(
          "GET",
          LOG + "?container=" + c,
          FakeApiServer.chunks("text/plain", c + " 1\n", c + " 2\n"));
    }
    int first = server.requests().size();
    ProcessResult kubectl =
        new Kubectl("1.33", kubeconfig, Files.createTempDirectory(dir, "cache"))
            .run(args.toArray(String[]::new));
    int second = server.requests().size();
    ProcessResult ours = Cli.run(kubeconfig, args.toArray(String[]::new));

    assertEquals(kubectl.exitCode(), ours.exitCode());
    assertEquals(kubectl.stderr(), ours.stderr());
    assertEquals(sortedLines(kubectl.stdout()), sortedLines(ours.stdout()));
    if (args.contains("--all-containers") && ours.exitCode() == 0) {
      String p = args.contains("--prefix") ? "[pod/web/%s] " : "";
      StringBuilder expected = new StringBuilder();
      for (String c : List.of("setup", "web", "side")) {
        expected.append(p.formatted(c)).append(c).append(" 1\n");
        expected.append(p.formatted(c)).append(c).append(" 2\n");
      }
      assertEquals(expected.toString(), ours.stdout());
    }
    assertEquals(
        uris(server.requests().subList(first, second)).stream().sorted().toList(),
        uris(server.requests().subList(second, server.requests().size())).stream()
            .sorted()
            .toList());
  }

  @Test
  void followsEveryContainerAtOnceWithPrefixes() {
    for (String c : List.of("setup", "web", "side")) {
      server.on(
          "GET",
          LOG + "?container=" + c + "&follow=true",
          FakeApiServer.chunks("text/plain", c + " 1\n", c + " 2\n"));
    }

    ProcessResult result = Cli.run(kubeconfig, "logs", "web", "--all-containers", "-f", "--prefix");

    assertEquals(0, result.exitCode(), result.toString());
    List<String> lines = List.of(result.stdout().split("\n"));
    assertEquals(6, lines.size(), result.stdout());
    for (String c : List.of("setup", "web", "side")) {
      assertEquals(
          List.of("[pod/web/" + c + "] " + c + " 1", "[pod/web/" + c + "] " + c + " 2"),
          lines.stream().filter(l -> l.startsWith("[pod/web/" + c + "]")).toList(),
          "whole lines, in order, per container");
    }
  }

  private static List<String> sortedLines(String text) {
    return text.lines().sorted().toList();
  }

  private static List<String> uris(List<FakeApiServer.Request> requests) {
    return requests.stream()
        .map(FakeApiServer.Request::uri)
        .filter(u -> !u.startsWith("/api?") && !u.startsWith("/apis?"))
        .toList();
  }
}
