package io.kubehop.streaming.remotecommand.server;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.testkit.Kubeconfigs;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real kubectl 1.30 and 1.33 at their defaults (WebSocket v5 first) against a {@link FakeApiServer}
 * that translates WebSocket v5 exec to SPDY toward an in-test SPDY-only kubelet. The server's
 * records prove the client hop was WebSocket v5 and not a SPDY fallback. A missing binary fails the
 * test under CI=true and skips it otherwise ({@link Kubectl}).
 */
class KubectlWebSocketAcceptanceTest {

  private static final String TRANSLATED = "TRANSLATED v5.channel.k8s.io -> v4.channel.k8s.io";
  private static Vertx vertx;
  private static FakeApiServer apiServer;
  @TempDir static Path home;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    apiServer = new FakeApiServer(vertx).translating();
    int port = await(apiServer.start());
    Kubeconfigs.write(home.resolve("kubeconfig"), "http://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void clearRecords() {
    apiServer.execUpgrades().clear();
    apiServer.sessions().clear();
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.30", "1.33"})
  void echoHello(String version) throws Exception {
    assertEquals(
        new ProcessResult(0, "hello\n", ""),
        kubectl(version, null, "exec", "demo", "--", "echo", "hello"));
    assertWebSocketV5();
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.30", "1.33"})
  void exitCodeThree(String version) throws Exception {
    ProcessResult r =
        kubectl(version, null, "exec", "demo", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
    assertEquals(3, r.exitCode(), r.toString());
    assertEquals("out\n", r.stdout(), r.toString());
    assertEquals("err\ncommand terminated with exit code 3\n", r.stderr(), r.toString());
    assertWebSocketV5();
  }

  /**
   * {@code printf 'x\n' | kubectl exec -i demo -- cat}: v5's CLOSE signal becomes the SPDY FIN, so
   * cat ends.
   */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.30", "1.33"})
  void stdinEofEndsCat(String version) throws Exception {
    assertEquals(
        new ProcessResult(0, "x\n", ""),
        kubectl(version, "x\n", "exec", "-i", "demo", "--", "cat"));
    assertWebSocketV5();
  }

  private static void assertWebSocketV5() {
    assertEquals(List.of("websocket [v5.channel.k8s.io]"), apiServer.execUpgrades());
    assertEquals(List.of(TRANSLATED), apiServer.sessions());
  }

  /** kubectl at its defaults: WebSocket first. */
  private static ProcessResult kubectl(String version, String stdin, String... args) {
    return new Kubectl(version, home.resolve("kubeconfig"), home.resolve("cache-" + version))
        .run(stdin, Duration.ofSeconds(60), args);
  }
}
