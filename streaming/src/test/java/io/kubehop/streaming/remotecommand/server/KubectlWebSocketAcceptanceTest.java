package io.kubehop.streaming.remotecommand.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real kubectl 1.30 and 1.33 at their defaults (WebSocket v5 first) against a {@link FakeApiServer} that translates
 * WebSocket v5 exec to SPDY toward an in-test SPDY-only kubelet. The server's records prove the client hop was
 * WebSocket v5 and not a SPDY fallback. Fails when a binary is missing and CI=true; skips otherwise.
 */
class KubectlWebSocketAcceptanceTest {

  private static final String KUBECTL_DIR = "/usr/lib/google-cloud-sdk/bin/";
  private static final String TRANSLATED = "TRANSLATED v5.channel.k8s.io -> v4.channel.k8s.io";
  private static Vertx vertx;
  private static FakeApiServer apiServer;
  @TempDir static Path home;

  record Result(int exitCode, String stdout, String stderr) {}

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    apiServer = new FakeApiServer(vertx).translating();
    int port = apiServer.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Files.writeString(home.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
        + "    server: http://127.0.0.1:" + port + "\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n"
        + "    namespace: default\ncurrent-context: c\nusers:\n- name: u\n  user:\n    token: t\n");
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void clearRecords() {
    apiServer.execUpgrades().clear();
    apiServer.sessions().clear();
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.30", "1.33"})
  void echoHello(String version) throws Exception {
    assertEquals(new Result(0, "hello\n", ""), kubectl(version, null, "exec", "demo", "--", "echo", "hello"));
    assertWebSocketV5();
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.30", "1.33"})
  void exitCodeThree(String version) throws Exception {
    Result r = kubectl(version, null, "exec", "demo", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
    assertEquals(3, r.exitCode(), r.toString());
    assertEquals("out\n", r.stdout(), r.toString());
    assertEquals("err\ncommand terminated with exit code 3\n", r.stderr(), r.toString());
    assertWebSocketV5();
  }

  /** {@code printf 'x\n' | kubectl exec -i demo -- cat}: v5's CLOSE signal becomes the SPDY FIN, so cat ends. */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.30", "1.33"})
  void stdinEofEndsCat(String version) throws Exception {
    assertEquals(new Result(0, "x\n", ""), kubectl(version, "x\n", "exec", "-i", "demo", "--", "cat"));
    assertWebSocketV5();
  }

  private static void assertWebSocketV5() {
    assertEquals(List.of("websocket [v5.channel.k8s.io]"), apiServer.execUpgrades());
    assertEquals(List.of(TRANSLATED), apiServer.sessions());
  }

  private static Result kubectl(String version, String stdin, String... args) throws Exception {
    File binary = new File(KUBECTL_DIR + "kubectl." + version);
    if (!binary.canExecute()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("kubectl " + version + " is missing at " + binary);
      }
      Assumptions.abort("kubectl " + version + " is not installed");
    }
    List<String> cmd = new ArrayList<>(List.of(binary.getPath(), "--kubeconfig", home.resolve("kubeconfig").toString(),
        "--cache-dir", home.resolve("cache-" + version).toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("KUBECTL_REMOTE_COMMAND_WEBSOCKETS"); // the default: WebSocket first
    Process p = pb.start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("kubectl " + version + " did not finish; stderr so far: " + err.getNow("?"));
    }
    Result r = new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    assertTrue(r.exitCode() >= 0);
    return r;
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "<" + e + ">";
    }
  }
}
