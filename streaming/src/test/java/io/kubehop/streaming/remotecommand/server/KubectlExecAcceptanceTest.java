package io.kubehop.streaming.remotecommand.server;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.testkit.Kubeconfigs;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real kubectl 1.27, 1.29 and 1.33 (SPDY forced) exec against {@link FakeApiServer}: the SPDY
 * session runs end to end between kubectl and kubehop's RemoteCommandServer. A missing binary fails
 * the test under CI=true and skips it otherwise ({@link Kubectl}).
 */
class KubectlExecAcceptanceTest {

  private static Vertx vertx;
  private static int port;
  @TempDir static Path home;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    port = await(new FakeApiServer(vertx).start());
    Kubeconfigs.write(home.resolve("kubeconfig"), "http://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.29", "1.33"})
  void echoHello(String version) throws Exception {
    ProcessResult r = kubectl(version, null, "exec", "demo", "--", "echo", "hello");
    assertEquals(new ProcessResult(0, "hello\n", ""), r);
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.29", "1.33"})
  void stdoutStderrAndExitCode(String version) throws Exception {
    ProcessResult r =
        kubectl(version, null, "exec", "demo", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
    assertEquals("out\n", r.stdout(), r.toString());
    assertTrue(r.stderr().contains("err\n"), r.toString());
    assertTrue(r.stderr().contains("command terminated with exit code 3"), r.toString());
    assertEquals(3, r.exitCode(), r.toString());
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.29", "1.33"})
  void stdinReachesTheProcessAndItsEof(String version) throws Exception {
    ProcessResult r = kubectl(version, "a\nb\n", "exec", "-i", "demo", "--", "cat");
    assertEquals(new ProcessResult(0, "a\nb\n", ""), r);
  }

  /**
   * Much more output than any buffer, written right before exit: nothing may be lost at the tail.
   */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33"})
  void largeOutputArrivesWhole(String version) throws Exception {
    ProcessResult r =
        kubectl(version, null, "exec", "demo", "--", "head", "-c", "6000000", "/dev/zero");
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(6_000_000, r.stdout().length());
  }

  /** 4 MiB through stdin, echoed by cat while kubectl is still writing: both directions at once. */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.29"})
  void largeStdinRoundTrip(String version) throws Exception {
    String input = "0123456789abcdef\n".repeat(256 * 1024);
    ProcessResult r = kubectl(version, input, "exec", "-i", "demo", "--", "cat");
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(input.length(), r.stdout().length());
    assertTrue(input.equals(r.stdout()), "stdout differs from stdin");
  }

  /** kubectl 1.33's default: WebSocket first; the 400 answer makes it fall back to SPDY at once. */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.33"})
  void webSocketRefusalFallsBackToSpdy(String version) throws Exception {
    ProcessResult r =
        kubectlWithEnv(version, null, "true", "exec", "demo", "--", "echo", "fallback");
    assertEquals(new ProcessResult(0, "fallback\n", ""), r);
  }

  private static ProcessResult kubectl(String version, String stdin, String... args) {
    return kubectlWithEnv(version, stdin, "false", args);
  }

  private static ProcessResult kubectlWithEnv(
      String version, String stdin, String websockets, String... args) {
    return new Kubectl(version, home.resolve("kubeconfig"), home.resolve("cache-" + version))
        .env("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", websockets)
        .run(stdin, Duration.ofSeconds(60), args);
  }
}
