package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.OsProcesses;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cluster-core issue's "Must show" list, against one cluster started with {@code bin/kubehop up
 * -d} and driven by stock kubectl. Each test uses pods of its own names, so the order of tests does
 * not matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterCoreIT {

  private static final Duration POD_START = Duration.ofSeconds(60);

  private KubehopCluster cluster;
  private Pods pods;
  private Kubectl kubectl;

  @BeforeAll
  void up() {
    cluster = KubehopCluster.up();
    pods = new Pods(cluster);
    kubectl = cluster.kubectl("1.33");
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private ProcessResult ok(ProcessResult result) {
    assertThat(result.exitCode()).as("%s\n%s", result, cluster.logs()).isZero();
    return result;
  }

  private void awaitRunning(String pod) {
    Await.until(
        pod + " Running",
        POD_START,
        () ->
            pods.pod(pod)
                .map(p -> "Running".equals(p.path("status").path("phase").asText()))
                .orElse(false));
  }

  @ParameterizedTest(name = "kubectl {0} get nodes shows node-1 Ready")
  @ValueSource(strings = {"1.27", "1.29", "1.33"})
  void nodesAreReadyForEveryKubectl(String minor) {
    ProcessResult result = ok(cluster.kubectl(minor).run("get", "nodes"));
    assertThat(result.stdout())
        .startsWith("NAME ")
        .containsPattern("(?m)^node-1\\s+Ready\\s+\\S+\\s+\\S+\\s+v1\\.");
  }

  /**
   * One kubehop version: what {@code kubectl version} prints for the server is what the node
   * reports. And quiet logs: after a heartbeat, the apiserver's log (what {@code bin/kubehop up}
   * prints) has no line for it.
   */
  @Test
  void oneVersionEverywhereAndNoHeartbeatInTheLog() throws Exception {
    JsonNode server =
        Pods.tree(ok(kubectl.run("version", "-o", "json")).stdout()).path("serverVersion");
    assertThat(server.path("gitVersion").asText())
        .startsWith("v1.")
        .isEqualTo(
            pods.node("node-1")
                .orElseThrow()
                .path("status")
                .path("nodeInfo")
                .path("kubeletVersion")
                .asText());

    String beat = lastHeartbeat();
    Await.until(
        "a heartbeat after " + beat, Duration.ofSeconds(30), () -> !lastHeartbeat().equals(beat));
    assertThat(Files.readString(cluster.home().resolve("logs/apiserver.log")))
        .doesNotContain("/nodes/node-1/status");
  }

  private String lastHeartbeat() {
    for (JsonNode c : pods.node("node-1").orElseThrow().path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return c.path("lastHeartbeatTime").asText();
      }
    }
    throw new AssertionError("node-1 has no Ready condition");
  }

  @Test
  void runShowsRunningPodBackedByARealProcess() {
    assertThat(
            ok(kubectl.run(
                    "run", "demo", "--image=busybox", "--restart=Never", "--", "sleep", "3600"))
                .stdout())
        .isEqualTo("pod/demo created\n");
    awaitRunning("demo");
    Await.until(
        "get pods shows demo 1/1 Running",
        POD_START,
        () ->
            kubectl
                .run("get", "pods")
                .stdout()
                .matches("(?s).*\\ndemo\\s+1/1\\s+Running\\s+0\\s+\\S+\\n.*"));

    String yaml = ok(kubectl.run("get", "pod", "demo", "-o", "yaml")).stdout();
    assertThat(yaml)
        .containsPattern("(?m)^  podIP: 127\\.")
        .containsPattern("(?m)^  hostIP: 127\\.0\\.1\\.1$")
        .containsPattern("(?m)^  nodeName: node-1$")
        .contains("containerStatuses:");

    long runtime = cluster.pid("runtime-node-1");
    assertThat(OsProcesses.descendantsRunning(runtime, "sleep 3600"))
        .as("sleep 3600 under the runtime")
        .hasSize(1);

    // --grace-period=1: sleep as PID 1 of its namespace ignores SIGTERM (30 s otherwise, as in
    // Kubernetes)
    ok(kubectl.run("delete", "pod", "demo", "--grace-period=1"));
    assertThat(pods.pod("demo")).isEmpty();
    Await.until(
        "the sleep process to end",
        Duration.ofSeconds(10),
        () -> OsProcesses.descendantsRunning(runtime, "sleep 3600").isEmpty());
  }

  @Test
  void applyCreatesThenConfiguresAndWatchShowsTransitions() throws Exception {
    Path manifest = cluster.home().resolve("web.yaml");
    Files.writeString(manifest, manifest("one"));
    try (RunningCommand watch = cluster.kubectl("1.33").start("get", "pods", "-w")) {
      assertThat(ok(kubectl.run("apply", "-f", manifest.toString())).stdout())
          .isEqualTo("pod/applied created\n");
      Files.writeString(manifest, manifest("two"));
      assertThat(ok(kubectl.run("apply", "-f", manifest.toString())).stdout())
          .isEqualTo("pod/applied configured\n");
      assertThat(ok(kubectl.run("apply", "-f", manifest.toString())).stdout())
          .isEqualTo("pod/applied unchanged\n");
      assertThat(
              pods.pod("applied")
                  .orElseThrow()
                  .path("metadata")
                  .path("labels")
                  .path("app")
                  .asText())
          .isEqualTo("two");

      awaitRunning("applied");
      watch.awaitStdout("Running", POD_START);
      ok(kubectl.run("delete", "pod", "applied"));
      String transitions = watch.awaitStdout("Terminating", Duration.ofSeconds(30));
      assertThat(transitions)
          .containsPattern("(?m)^applied\\s+0/1\\s+(Pending|ContainerCreating)")
          .containsPattern("(?m)^applied\\s+1/1\\s+Running");
    }
  }

  private static String manifest(String app) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: applied
          labels:
            app: %s
        spec:
          containers:
          - name: main
            image: busybox
            command: ["sleep", "3600"]
        """
        .formatted(app);
  }

  @Test
  void exitCodeIsReportedUnderNeverAndRestartsGrowUnderAlways() {
    ok(
        kubectl.run(
            "run", "exit3", "--image=busybox", "--restart=Never", "--", "sh", "-c", "exit 3"));
    JsonNode terminated =
        Await.value(
            "exit3 terminated",
            POD_START,
            () -> {
              JsonNode t = pods.firstContainerStatus("exit3").path("state").path("terminated");
              return t.isMissingNode() ? null : t;
            });
    assertThat(terminated.path("exitCode").asInt()).isEqualTo(3);
    assertThat(terminated.path("reason").asText()).isEqualTo("Error");
    assertThat(pods.pod("exit3").orElseThrow().path("status").path("phase").asText())
        .isEqualTo("Failed");
    assertThat(ok(kubectl.run("get", "pod", "exit3")).stdout())
        .containsPattern("(?m)^exit3\\s+0/1\\s+Error\\s+0\\s");

    ok(
        kubectl.run(
            "run", "crash", "--image=busybox", "--restart=Always", "--", "sh", "-c", "exit 1"));
    Await.until(
        "crash restartCount >= 2",
        Duration.ofSeconds(90),
        () -> pods.firstContainerStatus("crash").path("restartCount").asInt() >= 2);
    assertThat(
            pods.firstContainerStatus("crash")
                .path("lastState")
                .path("terminated")
                .path("exitCode")
                .asInt())
        .isEqualTo(1);
    ok(kubectl.run("delete", "pod", "exit3", "crash", "--grace-period=1"));
  }

  @Test
  void logsShowTheRealOutputAndFollowEndsWithTheContainer() {
    ok(
        kubectl.run(
            "run",
            "talker",
            "--image=busybox",
            "--restart=Never",
            "--",
            "sh",
            "-c",
            "echo hello; echo world; sleep 3600"));
    awaitRunning("talker");
    String logs =
        Await.value(
            "talker's two lines",
            Duration.ofSeconds(20),
            () -> {
              String out = kubectl.run("logs", "talker").stdout();
              return out.equals("hello\nworld\n") ? out : null;
            });
    assertThat(logs).isEqualTo("hello\nworld\n");
    assertThat(ok(kubectl.run("logs", "talker", "--tail=1")).stdout()).isEqualTo("world\n");

    ok(
        kubectl.run(
            "run",
            "counter",
            "--image=busybox",
            "--restart=Never",
            "--",
            "sh",
            "-c",
            "for i in 0 1 2; do echo line-$i; sleep 1; done"));
    awaitRunning("counter");
    ProcessResult follow = kubectl.run(null, Duration.ofSeconds(60), "logs", "-f", "counter");
    assertThat(follow.exitCode()).as(follow.toString()).isZero();
    assertThat(follow.stdout()).isEqualTo("line-0\nline-1\nline-2\n");
    ok(kubectl.run("delete", "pod", "talker", "counter", "--grace-period=1"));
  }

  @Test
  void kubehopCliPrintsWhatKubectlPrints() {
    ok(kubectl.run("run", "cli", "--image=busybox", "--restart=Never", "--", "sleep", "3600"));
    awaitRunning("cli");
    List<String> columns = new ArrayList<>();
    for (String line : ok(cluster.kubehop("get", "pods")).stdout().split("\n")) {
      columns.add(line.replaceAll("\\s+\\S+$", "")); // AGE may tick between the two commands
    }
    List<String> expected = new ArrayList<>();
    for (String line : ok(kubectl.run("get", "pods")).stdout().split("\n")) {
      expected.add(line.replaceAll("\\s+\\S+$", ""));
    }
    assertThat(columns).isEqualTo(expected);
    ok(cluster.kubehop("delete", "pod", "cli", "--grace-period=1"));
    assertThat(pods.pod("cli")).isEmpty();
  }
}
