package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code run}: the exact POST kubectl run sends, and its output. */
class RunCommandTest {

  @TempDir Path dir;
  FakeApiServer server;
  Path kubeconfig;

  @BeforeEach
  void start() throws Exception {
    server = new FakeApiServer();
    server.on("POST", "/api/v1/namespaces/default/pods", FakeApiServer.echo(201));
    kubeconfig = server.writeKubeconfig(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void sendsKubectlRunBody() {
    ProcessResult result = Cli.run(kubeconfig, "run", "nginx", "--image=nginx");

    assertEquals(new ProcessResult(0, "pod/nginx created\n", ""), result);
    FakeApiServer.Request post = server.requests().get(0);
    assertEquals("/api/v1/namespaces/default/pods?fieldManager=kubectl-run", post.uri());
    assertEquals("application/json", post.header("Content-Type"));
    assertEquals(
        "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"nginx\",\"creationTimestamp\":null,"
            + "\"labels\":{\"run\":\"nginx\"}},\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx\","
            + "\"resources\":{}}],\"restartPolicy\":\"Always\",\"dnsPolicy\":\"ClusterFirst\"},\"status\":{}}\n",
        post.body());
  }

  @Test
  void argumentsBecomeCommandWithFlag() {
    ProcessResult result =
        Cli.run(
            kubeconfig,
            "run",
            "demo",
            "--image=busybox",
            "--restart=Never",
            "--command",
            "--",
            "sleep",
            "3600");

    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals(
        "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"demo\",\"creationTimestamp\":null,"
            + "\"labels\":{\"run\":\"demo\"}},\"spec\":{\"containers\":[{\"name\":\"demo\",\"image\":\"busybox\","
            + "\"command\":[\"sleep\",\"3600\"],\"resources\":{}}],\"restartPolicy\":\"Never\","
            + "\"dnsPolicy\":\"ClusterFirst\"},\"status\":{}}\n",
        server.requests().get(0).body());
  }

  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of(List.of("run", "nginx", "--image=nginx")),
        Arguments.of(
            List.of(
                "run", "demo", "--image=busybox", "--restart=Never", "--", "sh", "-c", "echo hi")),
        Arguments.of(List.of("run", "demo", "--image=busybox", "--command", "--", "sleep", "3600")),
        Arguments.of(
            List.of(
                "run",
                "web",
                "--image=nginx",
                "--port=80",
                "--env=A=1",
                "--env=B=two=2",
                "--labels=tier=front,app=web",
                "--restart=OnFailure")));
  }

  /** The body is byte-identical to the one kubectl 1.33 sends for the same command. */
  @ParameterizedTest
  @MethodSource("variants")
  void sameBodyAsKubectl(List<String> args) throws Exception {
    ProcessResult ours = Cli.run(kubeconfig, args.toArray(String[]::new));
    ProcessResult kubectl =
        new Kubectl("1.33", kubeconfig, Files.createTempDirectory(dir, "cache"))
            .run(args.toArray(String[]::new));

    assertEquals(kubectl.stdout(), ours.stdout());
    List<FakeApiServer.Request> posts =
        new ArrayList<>(server.requests().stream().filter(r -> r.method().equals("POST")).toList());
    assertEquals(2, posts.size());
    assertEquals(posts.get(1).uri(), posts.get(0).uri());
    assertEquals(posts.get(1).body(), posts.get(0).body());
  }
}
