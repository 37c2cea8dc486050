package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.testkit.ProcessResult;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace} with several apiservers: the one behind the kubeconfig (the balancer's pick) names
 * them all at {@code /debug/apiservers}; each live one is asked at its own URL, and the chain says
 * which holds the session. An expired Lease is gone and not dialled, a live Lease whose apiserver
 * does not answer is unreachable: both are warnings, and trace still prints and exits 0.
 */
class TraceCommandTest {

  private static final String NO_SESSIONS = "{\"tier\":\"apiserver\",\"pid\":1,\"sessions\":[]}";

  private static final String HELD_BY_2 =
      """
      {"tier": "apiserver", "pid": 2, "sessions": [{
        "id": "9c285ae7001a827d", "kind": "exec", "namespace": "default", "pod": "demo",
        "container": "main", "command": ["sh"], "state": "open",
        "openedAt": "2026-12-05T06:30:00.000Z", "durationMillis": 3000, "apiserver": "apiserver-2",
        "hops": [
          {"tier": "apiserver", "pid": 2, "local": "127.0.0.1:40002", "remote": "127.0.0.1:51000",
           "peer": "client", "protocol": "websocket v5.channel.k8s.io", "bytesIn": 6,
           "bytesOut": 12, "idleSeconds": 3, "tls": true},
          {"tier": "apiserver", "pid": 2, "local": "127.0.0.1:41822", "remote": "127.0.1.1:10250",
           "peer": "kubelet", "node": "node-1", "protocol": "spdy/3.1 v5.channel.k8s.io",
           "bytesIn": 30, "bytesOut": 40, "idleSeconds": 3, "tls": true}]}]}
      """;

  private static final String CHAIN =
      """
      exec default/demo/main  sh  on apiserver-2  ws v5 -> spdy v5  12 B down  idle 3s
        client    127.0.0.1:51000       -> apiserver 127.0.0.1:40002       websocket v5.channel.k8s.io over tls
        apiserver 127.0.0.1:41822       -> kubelet   127.0.1.1:10250       spdy/3.1 v5.channel.k8s.io over tls
      """;

  @TempDir Path dir;
  FakeApiServer balanced;
  FakeApiServer second;
  Path kubeconfig;

  @BeforeEach
  void start() throws Exception {
    balanced = new FakeApiServer(); // apiserver-1, reached through the kubeconfig
    second = new FakeApiServer(); // apiserver-2, reached only at its own URL
    balanced
        .on("GET", "/api/v1/nodes", FakeApiServer.json(200, "{\"items\":[]}"))
        .on("GET", "/debug/sessions", FakeApiServer.json(200, NO_SESSIONS));
    second.on("GET", "/debug/sessions", FakeApiServer.json(200, HELD_BY_2));
    kubeconfig = balanced.writeKubeconfig(dir);
  }

  @AfterEach
  void stop() {
    balanced.close();
    second.close();
  }

  private static String entry(String id, String url, String lease, String renewTime) {
    return "{\"id\":\""
        + id
        + "\",\"url\":\""
        + url
        + "\",\"lease\":\""
        + lease
        + "\",\"renewTime\":\""
        + renewTime
        + "\",\"leaseDurationSeconds\":10}";
  }

  private void directory(String... entries) {
    balanced.on(
        "GET",
        "/debug/apiservers",
        FakeApiServer.json(200, "{\"apiservers\":[" + String.join(",", entries) + "]}"));
  }

  private static String closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  @Test
  void asksEveryLiveApiserverAtItsOwnUrlAndNamesTheOneThatHoldsTheSession() {
    directory(
        entry("apiserver-1", balanced.url(), "apiserver-aaa", "2999-01-01T00:00:00.000000Z"),
        entry("apiserver-2", second.url(), "apiserver-bbb", "2999-01-01T00:00:00.000000Z"));

    ProcessResult result = Cli.run(kubeconfig, "trace");

    assertEquals(new ProcessResult(0, CHAIN, ""), result);
    assertEquals(
        List.of("/debug/apiservers", "/debug/sessions", "/api/v1/nodes"),
        balanced.requests().stream().map(FakeApiServer.Request::uri).toList());
    assertEquals(
        List.of("/debug/sessions"),
        second.requests().stream().map(FakeApiServer.Request::uri).toList());
  }

  @Test
  void theWideOutputNamesTheApiserverToo() {
    directory(
        entry("apiserver-1", balanced.url(), "apiserver-aaa", "2999-01-01T00:00:00.000000Z"),
        entry("apiserver-2", second.url(), "apiserver-bbb", "2999-01-01T00:00:00.000000Z"));

    ProcessResult result = Cli.run(kubeconfig, "trace", "-o", "wide");

    assertEquals(
        new ProcessResult(
            0,
            """
            exec default/demo/main  sh  on apiserver-2  ws v5 -> spdy v5  12 B down  idle 3s
              client    127.0.0.1:51000       -> apiserver 127.0.0.1:40002       websocket v5.channel.k8s.io over tls  6 B up 12 B down  idle 3s
              apiserver 127.0.0.1:41822       -> kubelet   127.0.1.1:10250       spdy/3.1 v5.channel.k8s.io over tls  40 B up 30 B down  idle 3s
            """,
            ""),
        result);
  }

  @Test
  void theJsonCarriesTheApiserverOfEachSession() throws Exception {
    directory(
        entry("apiserver-1", balanced.url(), "apiserver-aaa", "2999-01-01T00:00:00.000000Z"),
        entry("apiserver-2", second.url(), "apiserver-bbb", "2999-01-01T00:00:00.000000Z"));

    ProcessResult result = Cli.run(kubeconfig, "trace", "-o", "json");

    assertEquals(0, result.exitCode(), result.toString());
    JsonNode session = ApiJson.mapper().readTree(result.stdout()).path("sessions").path(0);
    assertEquals("9c285ae7001a827d", session.path("id").asText());
    assertEquals("apiserver-2", session.path("apiserver").asText());
  }

  @Test
  void aGoneApiserverIsNotDialledAndAnUnreachableOneIsNamedTraceStillPrints() throws Exception {
    String dead = closedPort();
    directory(
        entry("apiserver-1", balanced.url(), "apiserver-aaa", "2999-01-01T00:00:00.000000Z"),
        entry("apiserver-2", second.url(), "apiserver-bbb", "2999-01-01T00:00:00.000000Z"),
        entry("apiserver-3", "http://127.0.0.1:1", "apiserver-ccc", "2020-01-01T00:00:00.000000Z"),
        entry("apiserver-4", dead, "apiserver-ddd", "2999-01-01T00:00:00.000000Z"));

    ProcessResult result = Cli.run(kubeconfig, "trace");

    assertEquals(0, result.exitCode(), result.toString());
    assertEquals(CHAIN, result.stdout());
    List<String> warnings = result.stderr().lines().toList();
    assertEquals(2, warnings.size(), result.stderr());
    assertTrue(
        warnings
            .get(0)
            .matches(
                "kubehop trace: apiserver apiserver-3: gone \\(its lease"
                    + " kube-system/apiserver-ccc expired \\d+s ago\\)"),
        warnings.get(0));
    assertTrue(
        warnings
            .get(1)
            .startsWith("kubehop trace: apiserver apiserver-4 (" + dead + "): unreachable: "),
        warnings.get(1));
  }

  @Test
  void oneApiserverIsAskedThroughTheKubeconfigAsBefore() {
    directory(entry("apiserver", second.url(), "", ""));
    balanced.on("GET", "/debug/sessions", FakeApiServer.json(200, HELD_BY_2));

    ProcessResult result = Cli.run(kubeconfig, "trace");

    assertEquals(new ProcessResult(0, CHAIN, ""), result);
    assertTrue(second.requests().isEmpty(), "the directory's own URL is not dialled");
  }

  @Test
  void anApiserverWithoutTheDirectoryIsAskedThroughTheKubeconfig() {
    balanced.on("GET", "/debug/sessions", FakeApiServer.json(200, HELD_BY_2));

    ProcessResult result = Cli.run(kubeconfig, "trace");

    assertEquals(new ProcessResult(0, CHAIN, ""), result);
  }
}
