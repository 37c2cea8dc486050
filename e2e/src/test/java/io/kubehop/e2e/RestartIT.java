package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.OsProcesses;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tiers die and come back: the store survives kill -9, the kubelet adopts what runs and never
 * starts it twice.
 */
class RestartIT {

  /** Short, so the test sees NotReady quickly; the default (40 s) is what users get. */
  private static final String GRACE = "6s";

  private KubehopCluster cluster;
  private Pods pods;
  private Kubectl kubectl;

  @BeforeEach
  void up() {
    cluster = KubehopCluster.up("--node-monitor-grace-period", GRACE);
    pods = new Pods(cluster);
    kubectl = cluster.kubectl("1.33");
  }

  @AfterEach
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void runSleeper(String name) {
    ProcessResult run =
        kubectl.run("run", name, "--image=busybox", "--restart=Never", "--", "sleep", "3600");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    Await.until(
        name + " Running",
        Duration.ofSeconds(60),
        () ->
            pods.pod(name)
                .map(p -> "Running".equals(p.path("status").path("phase").asText()))
                .orElse(false));
  }

  private static void kill9(long pid) {
    ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
    handle.destroyForcibly();
    Await.until("pid " + pid + " to die", Duration.ofSeconds(10), () -> !handle.isAlive());
  }

  @Test
  void podsAndNodesSurviveKill9OfTheApiserver() {
    runSleeper("survivor");
    String uid = pods.pod("survivor").orElseThrow().path("metadata").path("uid").asText();

    kill9(cluster.pid("apiserver"));
    ProcessResult start = cluster.kubehop("start", "apiserver");
    assertThat(start.exitCode()).as(start.toString()).isZero();
    Await.until("apiserver back", Duration.ofSeconds(30), cluster::isReady);

    assertThat(pods.pod("survivor").orElseThrow().path("metadata").path("uid").asText())
        .isEqualTo(uid);
    assertThat(pods.node("node-1")).isPresent();
    assertThat(kubectl.run("get", "pods").stdout())
        .containsPattern("(?m)^survivor\\s+1/1\\s+Running");
  }

  @Test
  void killedKubeletGoesNotReadyAndAdoptsItsContainersWhenBack() {
    runSleeper("adopted");
    long runtime = cluster.pid("runtime-node-1");
    List<ProcessHandle> before = OsProcesses.descendantsRunning(runtime, "sleep 3600");
    assertThat(before).hasSize(1);

    kill9(cluster.pid("kubelet-node-1"));
    Await.until(
        "node-1 NotReady", Duration.ofSeconds(60), () -> !"True".equals(pods.nodeReady("node-1")));
    assertThat(kubectl.run("get", "nodes").stdout()).containsPattern("(?m)^node-1\\s+NotReady\\s");

    ProcessResult start = cluster.kubehop("start", "kubelet-node-1");
    assertThat(start.exitCode()).as(start.toString()).isZero();
    Await.until(
        "node-1 Ready again",
        Duration.ofSeconds(60),
        () -> "True".equals(pods.nodeReady("node-1")));

    // Give the new kubelet's sync loop the chance to do something wrong, then check it did not.
    Await.until(
        "adopted pod reported Running by the new kubelet",
        Duration.ofSeconds(30),
        () -> pods.firstContainerStatus("adopted").path("state").has("running"));
    List<ProcessHandle> after = OsProcesses.descendantsRunning(runtime, "sleep 3600");
    assertThat(after).extracting(ProcessHandle::pid).containsExactly(before.get(0).pid());
    assertThat(pods.firstContainerStatus("adopted").path("restartCount").asInt()).isZero();
  }
}
