package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.testkit.ProcessResult;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code exec} and {@code attach} up to the upgrade: kubectl's argument errors, the pod GET and its
 * refusals, container defaulting, the query, the transports tried (refused here with a Status, as
 * the apiserver refuses an unknown container) and the messages; the streams themselves are covered
 * end to end (e2e KubehopExecIT).
 */
class ExecCommandTest {

  static final String PODS = "/api/v1/namespaces/default/pods/";
  static final String REFUSAL =
      "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
          + "\"message\":\"container nope is not valid for pod web\",\"reason\":\"BadRequest\","
          + "\"code\":400}";

  @TempDir Path dir;
  FakeApiServer server;
  Path kubeconfig;

  static String pod(String name, String phase, String annotations, String... containers) {
    StringBuilder c = new StringBuilder();
    for (String container : containers) {
      c.append(c.length() == 0 ? "" : ",")
          .append("{\"name\":\"")
          .append(container)
          .append("\",\"image\":\"busybox\"}");
    }
    return "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\"default\""
        + (annotations == null ? "" : ",\"annotations\":" + annotations)
        + "},\"spec\":{\"containers\":["
        + c
        + "]},\"status\":{\"phase\":\""
        + phase
        + "\"}}";
  }

  @BeforeEach
  void start() throws Exception {
    server = new FakeApiServer();
    server
        .on(
            "GET",
            PODS + "web",
            FakeApiServer.json(200, pod("web", "Running", null, "web", "side")))
        .on(
            "GET",
            PODS + "annotated",
            FakeApiServer.json(
                200,
                pod(
                    "annotated",
                    "Running",
                    "{\"kubectl.kubernetes.io/default-container\":\"side\"}",
                    "web",
                    "side")))
        .on("GET", PODS + "single", FakeApiServer.json(200, pod("single", "Running", null, "main")))
        .on("GET", PODS + "done", FakeApiServer.json(200, pod("done", "Succeeded", null, "main")))
        .on(
            "GET",
            PODS + "nopod",
            FakeApiServer.json(
                404,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                    + "\"message\":\"pods \\\"nopod\\\" not found\",\"reason\":\"NotFound\","
                    + "\"details\":{\"name\":\"nopod\",\"kind\":\"pods\"},\"code\":404}"));
    for (String name : List.of("web", "annotated", "single")) {
      for (String sub : List.of("exec", "attach")) {
        server.on("GET", PODS + name + "/" + sub, FakeApiServer.json(400, REFUSAL));
        server.on("POST", PODS + name + "/" + sub, FakeApiServer.json(400, REFUSAL));
      }
    }
    kubeconfig = server.writeKubeconfig(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Stream<Arguments> argumentErrors() {
    return Stream.of(
        Arguments.of(
            Named.of("exec without a pod", List.of("exec")),
            "error: pod, type/name or --filename must be specified\n"),
        Arguments.of(
            Named.of("exec without a command", List.of("exec", "web")),
            "error: you must specify at least one command for the container\n"),
        Arguments.of(
            Named.of("exec with an empty command", List.of("exec", "web", "--")),
            "error: you must specify at least one command for the container\n"),
        Arguments.of(
            Named.of("exec without --", List.of("exec", "web", "ls")),
            "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND]"
                + " instead\nSee 'kubehop exec -h' for help and examples\n"),
        Arguments.of(
            Named.of("attach without a pod", List.of("attach")),
            "error: at least 1 argument is required for attach\n"));
  }

  /** kubectl 1.33's words; nothing reaches the server. */
  @ParameterizedTest
  @MethodSource("argumentErrors")
  void argumentErrorsAsKubectl(List<String> args, String stderr) {
    assertEquals(
        new ProcessResult(1, "", stderr), Cli.run(kubeconfig, args.toArray(String[]::new)));
    assertEquals(List.of(), server.requests());
  }

  @Test
  void unknownPodIsTheServersNotFound() {
    assertEquals(
        new ProcessResult(1, "", "Error from server (NotFound): pods \"nopod\" not found\n"),
        Cli.run(kubeconfig, "exec", "nopod", "--", "ls"));
  }

  @Test
  void completedPodIsRefusedWithoutAnUpgrade() {
    assertEquals(
        new ProcessResult(
            1,
            "",
            "error: cannot exec into a container in a completed pod; current phase is Succeeded\n"),
        Cli.run(kubeconfig, "exec", "done", "--", "ls"));
    assertEquals(
        new ProcessResult(
            1,
            "",
            "error: cannot attach a container in a completed pod; current phase is Succeeded\n"),
        Cli.run(kubeconfig, "attach", "done"));
    assertEquals(2, server.requests().size());
  }

  /**
   * auto: the WebSocket GET first, then the SPDY POST with the same query; the final refusal is
   * printed as kubectl prints the Status.
   */
  @Test
  void defaultsToTheFirstContainerAndFallsBackToSpdy() {
    ProcessResult result = Cli.run(kubeconfig, "exec", "pod/web", "--", "sh", "-c", "echo a b");

    assertEquals(
        new ProcessResult(
            1,
            "",
            "Defaulted container \"web\" out of: web, side\n"
                + "Error from server (BadRequest): container nope is not valid for pod web\n"),
        result);
    String query = "?command=sh&command=-c&command=echo+a+b&container=web&stderr=true&stdout=true";
    assertEquals(
        List.of(
            "GET " + PODS + "web",
            "GET " + PODS + "web/exec" + query,
            "POST " + PODS + "web/exec" + query),
        server.requests().stream().map(r -> r.method() + " " + r.uri()).toList());
    FakeApiServer.Request ws = server.requests().get(1);
    assertEquals("websocket", ws.header("Upgrade"));
    assertEquals("v5.channel.k8s.io,v4.channel.k8s.io", ws.header("Sec-WebSocket-Protocol"));
    FakeApiServer.Request spdy = server.requests().get(2);
    assertEquals("SPDY/3.1", spdy.header("Upgrade"));
    assertTrue(spdy.header("X-Kubehop-Session").matches("cli-[0-9a-f]{16}"), spdy.toString());
    assertEquals(ws.header("X-Kubehop-Session"), spdy.header("X-Kubehop-Session"));
  }

  @Test
  void annotationChoosesTheContainerQuietly() {
    ProcessResult result = Cli.run(kubeconfig, "exec", "annotated", "--transport=spdy", "--", "ls");

    assertEquals(1, result.exitCode());
    assertEquals(
        "Error from server (BadRequest): container nope is not valid for pod web\n",
        result.stderr());
    assertEquals(
        List.of(
            "GET " + PODS + "annotated",
            "POST " + PODS + "annotated/exec?command=ls&container=side&stderr=true&stdout=true"),
        server.requests().stream().map(r -> r.method() + " " + r.uri()).toList());
  }

  @Test
  void quietAndSingleContainerPrintNoNotice() {
    assertEquals(
        "Error from server (BadRequest): container nope is not valid for pod web\n",
        Cli.run(kubeconfig, "exec", "-q", "web", "--transport=spdy", "--", "ls").stderr());
    assertEquals(
        "Error from server (BadRequest): container nope is not valid for pod web\n",
        Cli.run(kubeconfig, "exec", "single", "--transport=spdy", "--", "ls").stderr());
  }

  /** stdin here is no terminal: kubectl's notice, then no tty (so stderr is asked for). */
  @Test
  void ttyWithoutTerminalGoesOnWithoutOne() {
    ProcessResult result =
        Cli.run(kubeconfig, "exec", "-it", "single", "-c", "main", "--transport=spdy", "--", "sh");

    assertEquals(
        "Unable to use a TTY - input is not a terminal or the right kind of file\n"
            + "Error from server (BadRequest): container nope is not valid for pod web\n",
        result.stderr());
    assertEquals(
        "POST " + PODS + "single/exec?command=sh&container=main&stderr=true&stdin=true&stdout=true",
        server.requests().get(1).method() + " " + server.requests().get(1).uri());
  }

  @Test
  void attachQueryAndPrompt() {
    ProcessResult result = Cli.run(kubeconfig, "attach", "-i", "single", "--transport=spdy");

    assertEquals(
        new ProcessResult(
            1,
            "",
            "If you don't see a command prompt, try pressing enter.\n"
                + "Error from server (BadRequest): container nope is not valid for pod web\n"),
        result);
    assertEquals(
        "POST " + PODS + "single/attach?container=main&stderr=true&stdin=true&stdout=true",
        server.requests().get(1).method() + " " + server.requests().get(1).uri());
  }

  @Test
  void websocketOnlyReportsTheRefusedUpgrade() {
    ProcessResult result =
        Cli.run(kubeconfig, "exec", "single", "--transport=websocket", "--", "ls");

    assertEquals(1, result.exitCode());
    assertTrue(
        result.stderr().startsWith("error: unable to upgrade streaming request: 400 "),
        result.stderr());
    assertEquals(2, server.requests().size());
  }

  @Test
  void verboseLogsEachHandshake() {
    ProcessResult result = Cli.run(kubeconfig, "exec", "-v=6", "single", "--", "ls");

    String url =
        server.url() + PODS + "single/exec?command=ls&container=main&stderr=true&stdout=true";
    List<String> lines = result.stderr().lines().toList();
    assertTrue(
        lines
            .get(1)
            .startsWith(
                "GET "
                    + url
                    + " (Upgrade: websocket, Sec-WebSocket-Protocol: v5.channel.k8s.io, v4.channel.k8s.io, X-Kubehop-Session: cli-"),
        lines.get(1));
    assertTrue(lines.get(2).startsWith("GET " + url + " failed in "), lines.get(2));
    assertTrue(
        lines
            .get(3)
            .startsWith(
                "POST "
                    + url
                    + " (Upgrade: SPDY/3.1, X-Stream-Protocol-Version: v5.channel.k8s.io,"
                    + " v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io,"
                    + " X-Kubehop-Session: cli-"),
        lines.get(3));
    assertTrue(lines.get(4).startsWith("POST " + url + " failed in "), lines.get(4));
  }

  /** The remote exit code becomes the CLI's, after kubectl's line (exec's only output there). */
  @Test
  void remoteExitCodeIsTheClisWithKubectlsLine() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    io.kubehop.client.cli.ExitCodes codes =
        new io.kubehop.client.cli.ExitCodes(
            new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));

    int rc =
        codes.handleExecutionException(
            new ExitCodeException(137, "command terminated with exit code 137"), null, null);

    assertEquals(137, rc);
    assertEquals("command terminated with exit code 137\n", err.toString());
  }

  @Test
  void unknownTransportIsAUsageError() {
    ProcessResult result = Cli.run(kubeconfig, "exec", "single", "--transport=udp", "--", "ls");

    assertEquals(1, result.exitCode());
    assertTrue(
        result.stderr().contains("invalid transport \"udp\": must be one of auto, websocket, spdy"),
        result.stderr());
  }
}
