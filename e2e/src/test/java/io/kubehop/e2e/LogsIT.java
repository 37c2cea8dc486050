package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Lsof;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code kubectl logs} through the apiserver's log subresource to the kubelet's {@code
 * /containerLogs}: a follow delivers a new line within a second, holds one connection of its own
 * per hop, and ends (exit 0) with the container; {@code --tail}, {@code --since} and {@code
 * --timestamps} mean what they mean to kubectl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogsIT {

  private KubehopCluster cluster;
  private Kubectl kubectl;
  private Pods pods;

  @BeforeAll
  void up() {
    cluster = KubehopCluster.up();
    kubectl = cluster.kubectl("1.33");
    pods = new Pods(cluster);
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * A pod that prints {@code first}, waits for {@code /tmp/gate} in its own root to print {@code
   * second}, then for {@code /tmp/gate.end} to end; {@link #open} makes a gate from here.
   */
  private void gatedPod(String name, String first, String second) {
    ProcessResult run =
        kubectl.run(
            "run",
            name,
            "--image=busybox",
            "--restart=Never",
            "--",
            "sh",
            "-c",
            "echo "
                + first
                + "; while [ ! -e /tmp/gate ]; do sleep 0.05; done; echo "
                + second
                + "; while [ ! -e /tmp/gate.end ]; do sleep 0.05; done");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    Await.until(
        name + " Running",
        Duration.ofSeconds(60),
        () ->
            pods.pod(name)
                .map(p -> "Running".equals(p.path("status").path("phase").asText()))
                .orElse(false));
  }

  /** Creates {@code /tmp/<gate>} in the pod. */
  private void open(String pod, String gate) {
    ProcessResult touch = kubectl.run("exec", pod, "--", "touch", "/tmp/" + gate);
    assertThat(touch.exitCode()).as(touch.toString()).isZero();
  }

  @Test
  void followDeliversANewLineWithinASecondAndEndsWithTheContainer() throws Exception {
    gatedPod("follower", "before", "after");
    long apiserver = cluster.pid("apiserver");
    long toKubeletBefore =
        Lsof.established(apiserver).stream()
            .filter(c -> Lsof.remotePort(c) == cluster.kubeletPort())
            .count();
    try (RunningCommand follow = cluster.kubectl("1.33").start("logs", "-f", "follower")) {
      follow.awaitStdout("before\n", Duration.ofSeconds(30));
      // the follow holds a connection of its own from the apiserver to the kubelet (never a pooled
      // one)
      assertThat(
              Lsof.established(apiserver).stream()
                  .filter(c -> Lsof.remotePort(c) == cluster.kubeletPort())
                  .count())
          .isEqualTo(toKubeletBefore + 1);

      open("follower", "gate");
      // a deadline, not a sleep: the line must reach kubectl within 1 s of being released
      follow.awaitStdout("after\n", Duration.ofSeconds(1));

      open("follower", "gate.end");
      assertThat(follow.awaitExit(Duration.ofSeconds(30)))
          .as("kubectl logs -f ends with the container")
          .isTrue();
      assertThat(follow.process().exitValue()).as(follow.stderr()).isZero();
      assertThat(follow.stdout()).isEqualTo("before\nafter\n");
    }
    Await.until(
        "the follow's connection to the kubelet is gone",
        Duration.ofSeconds(10),
        () ->
            Lsof.established(apiserver).stream()
                    .filter(c -> Lsof.remotePort(c) == cluster.kubeletPort())
                    .count()
                == toKubeletBefore);
  }

  @Test
  void tailSinceAndTimestampsMeanWhatTheyMeanToKubectl() throws Exception {
    gatedPod("lines", "one", "two");
    Await.until(
        "the first line",
        Duration.ofSeconds(20),
        () -> kubectl.run("logs", "lines").stdout().equals("one\n"));
    // --since=1s: lines older than a second are left out (it would return "one" forever if since
    // were ignored)
    Await.until(
        "--since=1s leaves the old line out",
        Duration.ofSeconds(10),
        () -> kubectl.run("logs", "lines", "--since=1s").stdout().isEmpty());
    open("lines", "gate");
    Await.until(
        "the second line",
        Duration.ofSeconds(20),
        () -> kubectl.run("logs", "lines").stdout().equals("one\ntwo\n"));
    assertThat(kubectl.run("logs", "lines", "--since=1h").stdout()).isEqualTo("one\ntwo\n");
    assertThat(kubectl.run("logs", "lines", "--tail=1").stdout()).isEqualTo("two\n");
    assertThat(kubectl.run("logs", "lines", "--tail=0").stdout()).isEmpty();
    assertThat(kubectl.run("logs", "lines", "--tail=5").stdout()).isEqualTo("one\ntwo\n");
    String stamped = kubectl.run("logs", "lines", "--timestamps").stdout();
    assertThat(stamped)
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z one\n"
                + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z two\n");
    assertThat(kubectl.run("logs", "lines", "--limit-bytes=5").stdout())
        .isEqualTo("one\nt"); // 5 bytes
    open("lines", "gate.end");
  }
}
