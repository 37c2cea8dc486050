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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real kubectl 1.27, 1.29 and 1.33 (SPDY forced) exec against {@link FakeApiServer}: the SPDY session runs end to end
 * between kubectl and kubehop's RemoteCommandServer. Fails when a binary is missing and CI=true; skips otherwise.
 */
class KubectlExecAcceptanceTest {

  private static final String KUBECTL_DIR = "/usr/lib/google-cloud-sdk/bin/";
  private static Vertx vertx;
  private static int port;
  @TempDir static Path home;

  record Result(int exitCode, String stdout, String stderr) {}

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    port = new FakeApiServer(vertx).start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Files.writeString(home.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
        + "    server: http://127.0.0.1:" + port + "\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n"
        + "    namespace: default\ncurrent-context: c\nusers:\n- name: u\n  user:\n    token: t\n");
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.29", "1.33"})
  void echoHello(String version) throws Exception {
    Result r = kubectl(version, null, "exec", "demo", "--", "echo", "hello");
    assertEquals(new Result(0, "hello\n", ""), r);
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.29", "1.33"})
  void stdoutStderrAndExitCode(String version) throws Exception {
    Result r = kubectl(version, null, "exec", "demo", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
    assertEquals("out\n", r.stdout(), r.toString());
    assertTrue(r.stderr().contains("err\n"), r.toString());
    assertTrue(r.stderr().contains("command terminated with exit code 3"), r.toString());
    assertEquals(3, r.exitCode(), r.toString());
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.29", "1.33"})
  void stdinReachesTheProcessAndItsEof(String version) throws Exception {
    Result r = kubectl(version, "a\nb\n", "exec", "-i", "demo", "--", "cat");
    assertEquals(new Result(0, "a\nb\n", ""), r);
  }

  /** Much more output than any buffer, written right before exit: nothing may be lost at the tail. */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33"})
  void largeOutputArrivesWhole(String version) throws Exception {
    Result r = kubectl(version, null, "exec", "demo", "--", "head", "-c", "6000000", "/dev/zero");
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(6_000_000, r.stdout().length());
  }

  /** 4 MiB through stdin, echoed by cat while kubectl is still writing: both directions at once. */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.29"})
  void largeStdinRoundTrip(String version) throws Exception {
    String input = "0123456789abcdef\n".repeat(256 * 1024);
    Result r = kubectl(version, input, "exec", "-i", "demo", "--", "cat");
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(input.length(), r.stdout().length());
    assertTrue(input.equals(r.stdout()), "stdout differs from stdin");
  }

  /** kubectl 1.33's default: WebSocket first; the 400 answer makes it fall back to SPDY at once. */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.33"})
  void webSocketRefusalFallsBackToSpdy(String version) throws Exception {
    Result r = kubectlWithEnv(version, null, "true", "exec", "demo", "--", "echo", "fallback");
    assertEquals(new Result(0, "fallback\n", ""), r);
  }

  private static Result kubectl(String version, String stdin, String... args) throws Exception {
    return kubectlWithEnv(version, stdin, "false", args);
  }

  private static Result kubectlWithEnv(String version, String stdin, String websockets, String... args)
      throws Exception {
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
    pb.environment().put("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", websockets);
    Process p = pb.start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> { // kubectl reads stdin while we read stdout
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      } catch (java.io.IOException e) {
        // kubectl exited early; its exit code tells
      }
    });
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("kubectl " + version + " did not finish; stderr so far: " + err.getNow("?"));
    }
    feed.get(10, TimeUnit.SECONDS);
    return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "<" + e + ">";
    }
  }
}
