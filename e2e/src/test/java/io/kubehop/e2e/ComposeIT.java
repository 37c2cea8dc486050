package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.ComposeStack;
import io.kubehop.e2e.support.WebPage;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The top-level {@code docker-compose.yml}: the apiserver and two nodes as containers, each node's
 * runtime in its kubelet's network namespace, PKI from the {@code init} service. Stock kubectl on
 * the host reaches the published apiserver with the kubeconfig the stack wrote, finds both nodes
 * Ready, execs into a pod on each node over SPDY (1.29) and WebSocket (1.33), port-forwards to
 * nginx on node-2, and {@code lsof} inside {@code node-1-kubelet} shows the two sockets a real
 * kubelet holds for an exec. {@code down -v} leaves nothing of the project.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeIT {

  private ComposeStack stack;

  @BeforeAll
  void up(@TempDir Path tmp) throws IOException {
    stack = ComposeStack.up(tmp);
    stack.runPod("bb-node-1", "node-1", "busybox", "--", "sleep", "3600");
    stack.runPod("bb-node-2", "node-2", "busybox", "--", "sleep", "3600");
    stack.runPod("web", "node-2", "nginx");
  }

  @AfterAll
  void down() {
    if (stack != null) {
      stack.down();
    }
  }

  /** kubectl 1.29 speaks SPDY to the apiserver; 1.33 WebSocket, which the apiserver translates. */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.29", "1.33"})
  void execOnEachNode(String minor) throws IOException {
    Kubectl kubectl = stack.kubectl(minor);
    for (String node : List.of("node-1", "node-2")) {
      String pod = "bb-" + node;
      // The pod is a process of the runtime's container, which has the kubelet container's network
      // namespace and so its hostname: the node's. The echo came apiserver -> kubelet -> runtime.
      ProcessResult exec =
          kubectl.run(
              "exec", pod, "--", "sh", "-c", "echo hi from $(cat /proc/sys/kernel/hostname)");
      assertThat(exec.stdout()).as("%s", exec).isEqualTo("hi from " + node + "\n");
      ProcessResult apart = kubectl.run("exec", pod, "--", "sh", "-c", "echo out; echo err >&2");
      assertThat(apart.stdout()).as("%s", apart).isEqualTo("out\n");
      assertThat(apart.stderr()).as("%s", apart).isEqualTo("err\n");
      for (int code : new int[] {0, 1, 3, 42}) {
        ProcessResult exit = kubectl.run("exec", pod, "--", "sh", "-c", "exit " + code);
        assertThat(exit.exitCode()).as("%s", exit).isEqualTo(code);
      }
      ProcessResult killed = kubectl.run("exec", pod, "--", "sh", "-c", "kill -9 $$");
      assertThat(killed.exitCode()).as("%s", killed).isEqualTo(137);
      // stdin to EOF: cat ends when the client's stdin does, with every byte.
      String input = "abc\n" + "x".repeat(100_000) + "\nlast line\n";
      ProcessResult stdin =
          kubectl.run(input, Duration.ofSeconds(60), "exec", "-i", pod, "--", "cat");
      assertThat(stdin.exitCode()).as("%s", stdin.stderr()).isZero();
      assertThat(stdin.stdout()).isEqualTo(input);
    }
  }

  @Test
  void portForwardToNginxOnNode2() throws IOException {
    try (RunningCommand forward = stack.kubectl("1.33").start("port-forward", "pod/web", ":80")) {
      String said = forward.awaitStdout("Forwarding from 127.0.0.1:", Duration.ofSeconds(30));
      Matcher port = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 80").matcher(said);
      assertThat(port.find()).as(said).isTrue();
      String response = WebPage.get(Integer.parseInt(port.group(1)));
      assertThat(response).startsWith("HTTP/1.1 200 ").contains("<title>Welcome to nginx!</title>");
    }
  }

  /**
   * The lsof experiment inside the node: during an exec, the kubelet holds exactly two sockets for
   * it, one from the apiserver container's address to its :10250 and one to the runtime's streaming
   * server on the node's own 127.0.0.1. Both are gone within 5 s of the session's end, for SPDY
   * (1.29) as for WebSocket (1.33): over TLS, an ended SPDY session once held them for the 5-minute
   * linger.
   */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.29", "1.33"})
  void lsofInTheKubeletContainerShowsBothHopsOfAnExec(String minor) throws IOException {
    String streaming = listeningPort(stack.lsof("node-1-runtime", "runtime"));
    String fromApiserver =
        "TCP " + stack.ip(1) + ":10250->" + stack.ip(0) + ":\\d+ \\(ESTABLISHED\\)";
    String toRuntime =
        "TCP 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:" + streaming + " \\(ESTABLISHED\\)";
    // Sessions of the other tests may still be closing: none may be left after 5 s.
    noSessionSockets(fromApiserver, toRuntime);
    try (RunningCommand exec =
        stack
            .kubectl(minor)
            .start("exec", "bb-node-1", "--", "sh", "-c", "echo started; sleep 60")) {
      exec.awaitStdout("started", Duration.ofSeconds(30));
      String during = stack.lsof("node-1-kubelet", "kubelet");
      assertThat(count(during, fromApiserver)).as(during).isEqualTo(1);
      assertThat(count(during, toRuntime)).as(during).isEqualTo(1);
    }
    noSessionSockets(fromApiserver, toRuntime); // the client went away mid-session
    ProcessResult ended = stack.kubectl(minor).run("exec", "bb-node-1", "--", "true");
    assertThat(ended.exitCode()).as("%s", ended).isZero();
    noSessionSockets(fromApiserver, toRuntime);
  }

  /** Waits up to 5 s until node-1's kubelet holds neither kind of session socket. */
  private void noSessionSockets(String fromApiserver, String toRuntime) {
    Await.until(
        "no session sockets in node-1's kubelet",
        Duration.ofSeconds(5),
        () -> {
          String lsof = stack.lsof("node-1-kubelet", "kubelet");
          return count(lsof, fromApiserver) == 0 && count(lsof, toRuntime) == 0;
        });
  }

  /** The port of the one TCP LISTEN socket in an lsof listing. */
  static String listeningPort(String lsof) {
    Matcher listen = Pattern.compile("TCP 127\\.0\\.0\\.1:(\\d+) \\(LISTEN\\)").matcher(lsof);
    assertThat(listen.find()).as(lsof).isTrue();
    return listen.group(1);
  }

  static long count(String lsof, String regex) {
    Pattern pattern = Pattern.compile(regex);
    return lsof.lines().filter(line -> pattern.matcher(line).find()).count();
  }
}
