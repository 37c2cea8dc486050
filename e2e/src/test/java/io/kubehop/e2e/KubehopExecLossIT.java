package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.e2e.support.PtySession;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Must show 3 and 4 for a killed peer: the kubelet is {@code kill -9}ed during {@code bin/kubehop
 * exec -it demo -- sh} under a real pty. The CLI exits non-zero within 5 s naming the kubelet
 * (SPDY: the CLI asks the apiserver about its session; WebSocket: the apiserver's translator
 * reports it on the error channel), and the local terminal's {@code stty -a} is what it was. A
 * cluster of its own, as the kubelet is killed and restarted between the cases. Both halves need
 * the apiserver's side of that contract: the session record {@code /debug/sessions?id=} (without it
 * the SPDY case names the apiserver) and the translator's Failure Status (without it the apiserver
 * reports Success on channel 3 and the WebSocket case exits 0).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubehopExecLossIT {

  static final Duration DEADLINE = Duration.ofSeconds(60);

  KubehopCluster cluster;
  Pods pods;

  @BeforeAll
  void up() throws IOException {
    cluster = KubehopCluster.up();
    pods = new Pods(cluster);
    KubehopExecIT.applyDemoPods(cluster);
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"spdy", "websocket"})
  void killedKubeletEndsTheSessionNamingItAndRestoresTheTerminal(String transport)
      throws IOException {
    Path dir = Files.createTempDirectory(cluster.home(), "loss-");
    try (PtySession shell = localShell()) {
      int at = KubehopExecIT.run(shell, "stty -a > " + dir.resolve("before"), 0);
      at = shell.await("local$ ", at, KubehopExecIT.DEADLINE);
      shell.type(
          String.join(
                  " ", cluster.kubehopCommand("exec", "-it", "--transport=" + transport, "demo"))
              + " -- sh\r");
      try {
        at = shell.await("# ", at, DEADLINE);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; the terminal:\n" + shell.output(), e);
      }
      shell.type("echo in-$((6*7))\r");
      at = shell.await("in-42", at, DEADLINE);

      ProcessHandle kubelet = ProcessHandle.of(cluster.pid("kubelet-node-1")).orElseThrow();
      kubelet.destroyForcibly();
      long killed = System.nanoTime();
      try {
        at = shell.await("error: connection to kubelet node-1 (", at, Duration.ofSeconds(5));
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; the terminal:\n" + shell.output(), e);
      }
      assertThat(System.nanoTime() - killed).isLessThan(Duration.ofSeconds(5).toNanos());
      assertThat(shell.output().substring(at))
          .containsPattern("^[0-9.:]+\\) lost after \\d+\\.\\d s");
      at = KubehopExecIT.run(shell, "echo rc=$?; stty -a > " + dir.resolve("after"), at);
      assertThat(shell.output()).contains("rc=1");
    } finally {
      restartKubelet();
    }
    assertThat(Files.readString(dir.resolve("after")))
        .isEqualTo(Files.readString(dir.resolve("before")));
  }

  private PtySession localShell() {
    java.util.Map<String, String> env = new java.util.HashMap<>(cluster.kubehopEnvironment());
    env.put("PS1", "local$ ");
    return PtySession.start(java.util.List.of("bash", "--norc", "--noprofile"), env, 30, 100);
  }

  private void restartKubelet() {
    ProcessHandle.of(cluster.pid("kubelet-node-1")).ifPresent(ProcessHandle::destroyForcibly);
    Await.until(
        "the old kubelet gone",
        Duration.ofSeconds(10),
        () -> ProcessHandle.of(cluster.pid("kubelet-node-1")).map(p -> !p.isAlive()).orElse(true));
    ProcessResult start = cluster.kubehop("start", "kubelet-node-1");
    assertThat(start.exitCode()).as(start.toString()).isZero();
    Await.until("node-1 Ready again", DEADLINE, () -> "True".equals(pods.nodeReady("node-1")));
    // Ready comes before the new kubelet has adopted the pod's container (until then an exec is
    // refused with "pod does not exist").
    Await.until(
        "exec into demo again",
        DEADLINE,
        () -> cluster.kubehop("exec", "demo", "--", "true").exitCode() == 0);
  }
}
