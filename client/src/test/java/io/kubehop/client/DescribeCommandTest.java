package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.client.testing.Canned;
import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code describe pod|node} prints what kubectl 1.33 prints for the same objects (a pod with an
 * init container and a node, as a kubehop cluster serves them; no Lease): the pods' events too (a
 * scheduler's event with eventTime only, a counted one, a message with a trailing newline), days
 * old so that both print the same ages.
 */
class DescribeCommandTest {

  @TempDir static Path dir;
  static FakeApiServer server;
  static Path kubeconfig;

  @BeforeAll
  static void start() throws Exception {
    server = new FakeApiServer();
    server
        .on(
            "GET",
            "/api/v1/namespaces/default/pods/multi",
            FakeApiServer.json(200, Canned.read("describe-pod.json")))
        .on(
            "GET",
            "/api/v1/nodes/node-1",
            FakeApiServer.json(200, Canned.read("describe-node.json")))
        .on(
            "GET",
            "/api/v1/namespaces/default/pods/demo",
            FakeApiServer.json(200, Canned.read("describe-pod-demo.json")))
        .on(
            "GET",
            "/api/v1/namespaces/default/events",
            FakeApiServer.json(200, Canned.read("describe-pod-events.json")))
        .on("GET", "/api/v1/pods", FakeApiServer.json(200, Canned.read("describe-node-pods.json")))
        .on(
            "GET",
            "/api/v1/namespaces/default/pods",
            FakeApiServer.json(200, Canned.read("describe-node-pods.json")));
    kubeconfig = server.writeKubeconfig(Files.createDirectories(dir.resolve("config")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of((Object) new String[] {"describe", "pod", "multi"}),
        Arguments.of((Object) new String[] {"describe", "pod/multi"}),
        Arguments.of((Object) new String[] {"describe", "po", "missing"}),
        Arguments.of((Object) new String[] {"describe", "pod", "de"}),
        Arguments.of((Object) new String[] {"describe", "node", "node-1"}),
        Arguments.of((Object) new String[] {"describe", "no", "node-1", "node-2"}));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void describesLikeKubectl(String[] args) throws Exception {
    ProcessResult kubectl =
        new Kubectl("1.33", kubeconfig, Files.createTempDirectory(dir, "cache")).run(args);
    ProcessResult ours = Cli.run(kubeconfig, args);

    assertEquals(kubectl, ours);
    if (String.join(" ", args).contains("multi")) {
      // the events table is there, not an empty "<none>" on both sides
      org.junit.jupiter.api.Assertions.assertTrue(
          ours.stdout().contains("  Warning  Unhealthy  ") && ours.stdout().contains(" (x7 over "),
          ours.stdout());
    }
  }
}
