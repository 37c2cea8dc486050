package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.meta.Times;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Startup, liveness and readiness probes seen through kubectl 1.33: READY and RESTARTS columns, the
 * Ready condition, and the events of {@code kubectl get events} and {@code kubectl describe pod} in
 * upstream's words. The containers are busybox applets run as {@code busybox <applet>}, which works
 * both with the host's busybox and in a busybox root filesystem; each pod listens on a port of its
 * own, as pods may share the host's network.
 */
class ProbesIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  private static KubehopCluster cluster;
  private static Pods pods;
  private static Kubectl kubectl;

  @BeforeAll
  static void up() {
    cluster = KubehopCluster.up();
    pods = new Pods(cluster);
    kubectl = cluster.kubectl("1.33");
  }

  @AfterAll
  static void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void apply(String name, String yaml) {
    Path manifest = cluster.home().resolve(name + ".yaml");
    try {
      Files.writeString(manifest, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ProcessResult apply = kubectl.run("apply", "-f", manifest.toString());
    assertThat(apply.exitCode()).as(apply.toString()).isZero();
  }

  private static String getPod(String name) {
    ProcessResult get = kubectl.run("get", "pod", name, "--no-headers");
    assertThat(get.exitCode()).as(get.toString()).isZero();
    return get.stdout();
  }

  private static Optional<String> condition(String pod, String type, String field) {
    return pods.pod(pod)
        .flatMap(
            p -> {
              for (JsonNode c : p.path("status").path("conditions")) {
                if (type.equals(c.path("type").asText())) {
                  return Optional.of(c.path(field).asText());
                }
              }
              return Optional.empty();
            });
  }

  private static String podIp(String pod) {
    return pods.pod(pod).orElseThrow().path("status").path("podIP").asText();
  }

  /** The events of a pod, as {@code kubectl get events} (1.33) prints them. */
  private static String events(String pod) {
    ProcessResult get =
        kubectl.run("get", "events", "--field-selector", "involvedObject.name=" + pod);
    assertThat(get.exitCode()).as(get.toString()).isZero();
    return get.stdout();
  }

  private static String describe(String pod) {
    ProcessResult describe = kubectl.run("describe", "pod", pod);
    assertThat(describe.exitCode()).as(describe.toString()).isZero();
    return describe.stdout();
  }

  private static void awaitEvent(String pod, String regex) {
    Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
    Await.until(
        () -> "event /" + regex + "/ of " + pod + " in:\n" + events(pod),
        WAIT,
        () -> p.matcher(events(pod)).find());
  }

  @Test
  void aStartupProbeHoldsReadinessUntilThePortOpens() {
    apply(
        "startup",
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: startup
        spec:
          containers:
          - name: main
            image: busybox
            command: ["sh", "-c", "sleep 5; exec busybox httpd -f -p 18081"]
            startupProbe:
              tcpSocket:
                port: 18081
              periodSeconds: 1
              failureThreshold: 60
        """);
    pods.awaitRunning("startup");
    // running, its port still closed: not started, not ready
    assertThat(getPod("startup")).containsPattern("^startup\\s+0/1\\s+Running\\s+0\\s");
    assertThat(condition("startup", "Ready", "status")).contains("False");
    assertThat(pods.firstContainerStatus("startup").path("started").asBoolean()).isFalse();

    Await.until(
        "startup Ready",
        WAIT,
        () -> condition("startup", "Ready", "status").equals(Optional.of("True")));
    assertThat(getPod("startup")).containsPattern("^startup\\s+1/1\\s+Running\\s+0\\s");
    JsonNode status = pods.firstContainerStatus("startup");
    assertThat(status.path("started").asBoolean()).isTrue();
    assertThat(status.path("ready").asBoolean()).isTrue();
    // Ready only once the server listened, 5 s after the start (both times in whole seconds)
    long startedAt =
        Times.parse(status.path("state").path("running").path("startedAt").asText())
            .getEpochSecond();
    long readyAt =
        Times.parse(condition("startup", "Ready", "lastTransitionTime").orElseThrow())
            .getEpochSecond();
    assertThat(readyAt - startedAt).isGreaterThanOrEqualTo(5);

    String ip = podIp("startup");
    awaitEvent(
        "startup",
        "Warning\\s+Unhealthy\\s+pod/startup\\s+Startup probe failed: dial tcp "
            + Pattern.quote(ip)
            + ":18081: connect: connection refused");
    String events = events("startup");
    assertThat(events)
        .containsPattern(
            "Normal\\s+Scheduled\\s+pod/startup\\s+Successfully assigned default/startup to node-1")
        .containsPattern(
            "Normal\\s+Pulled\\s+pod/startup\\s+Container image \"busybox\" already present on machine")
        .containsPattern("Normal\\s+Created\\s+pod/startup\\s+Created container main")
        .containsPattern("Normal\\s+Started\\s+pod/startup\\s+Started container main");

    ProcessResult describe = kubectl.run("describe", "pod", "startup");
    assertThat(describe.exitCode()).as(describe.toString()).isZero();
    assertThat(describe.stdout())
        .containsPattern(
            "Startup:\\s+tcp-socket :18081 delay=0s timeout=1s period=1s #success=1 #failure=60")
        .containsPattern(
            "Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned default/startup to node-1")
        .containsPattern(
            "Normal\\s+Pulled\\s+\\S+\\s+kubelet\\s+Container image \"busybox\" already present on machine")
        .containsPattern("Normal\\s+Created\\s+\\S+\\s+kubelet\\s+Created container main")
        .containsPattern("Normal\\s+Started\\s+\\S+\\s+kubelet\\s+Started container main")
        .containsPattern(
            "Warning\\s+Unhealthy\\s+\\S+( \\(x\\d+ over \\S+\\))?\\s+kubelet\\s+Startup probe failed: dial tcp "
                + Pattern.quote(ip)
                + ":18081: connect: connection refused");
  }

  @Test
  void aFailingLivenessProbeRestartsTheContainerWithBackOff() {
    apply(
        "liveness",
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: liveness
        spec:
          terminationGracePeriodSeconds: 2
          containers:
          - name: main
            image: busybox
            command: ["sleep", "3600"]
            livenessProbe:
              tcpSocket:
                port: 18082
              periodSeconds: 1
              failureThreshold: 2
        """);
    pods.awaitRunning("liveness");
    Await.until(
        "liveness restarted twice",
        WAIT,
        () -> pods.firstContainerStatus("liveness").path("restartCount").asInt() >= 2);
    assertThat(getPod("liveness")).containsPattern("^liveness\\s+\\d/1\\s+\\S+\\s+[2-9]\\d*\\s");
    String ip = podIp("liveness");
    String uid = pods.pod("liveness").orElseThrow().path("metadata").path("uid").asText();
    awaitEvent(
        "liveness",
        "Warning\\s+BackOff\\s+pod/liveness\\s+Back-off restarting failed container main in pod liveness_default\\("
            + uid
            + "\\)");
    String events = events("liveness");
    assertThat(events)
        .containsPattern(
            "Warning\\s+Unhealthy\\s+pod/liveness\\s+Liveness probe failed: dial tcp "
                + Pattern.quote(ip)
                + ":18082: connect: connection refused")
        .containsPattern(
            "Normal\\s+Killing\\s+pod/liveness\\s+Container main failed liveness probe, will be restarted")
        .containsPattern("Normal\\s+Started\\s+pod/liveness\\s+Started container main");

    ProcessResult describe = kubectl.run("describe", "pod", "liveness");
    assertThat(describe.exitCode()).as(describe.toString()).isZero();
    assertThat(describe.stdout())
        // repeated events are one event with a count, which describe shows as "(x2 over 5s)"
        .containsPattern(
            "Normal\\s+Started\\s+\\S+ \\(x[2-9]\\d* over \\S+\\)\\s+kubelet\\s+Started container main")
        .containsPattern(
            "Liveness:\\s+tcp-socket :18082 delay=0s timeout=1s period=1s #success=1 #failure=2")
        .containsPattern(
            "Normal\\s+Killing\\s+\\S+( \\(x\\d+ over \\S+\\))?\\s+kubelet\\s+Container main failed liveness probe, will be restarted")
        .containsPattern(
            "Warning\\s+Unhealthy\\s+\\S+( \\(x\\d+ over \\S+\\))?\\s+kubelet\\s+Liveness probe failed: dial tcp ");
  }

  @Test
  void aFailingReadinessProbeKeepsThePodUnready() {
    apply(
        "unready",
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: unready
        spec:
          containers:
          - name: main
            image: busybox
            command: ["busybox", "httpd", "-f", "-p", "18083"]
            ports:
            - name: web
              containerPort: 18083
            readinessProbe:
              httpGet:
                path: /healthz
                port: web
              periodSeconds: 1
        """);
    pods.awaitRunning("unready");
    // three failed probes at least: the server answers, with 404 for /healthz
    Pattern failedThrice =
        Pattern.compile(
            "Warning\\s+Unhealthy\\s+\\S+ \\(x([3-9]|\\d\\d+) over \\S+\\)\\s+kubelet\\s+"
                + "Readiness probe failed: HTTP probe failed with statuscode: 404");
    Await.until(
        () -> "three failed readiness probes in:\n" + describe("unready"),
        WAIT,
        () -> failedThrice.matcher(describe("unready")).find());
    assertThat(getPod("unready")).containsPattern("^unready\\s+0/1\\s+Running\\s+0\\s");
    assertThat(condition("unready", "Ready", "status")).contains("False");
    assertThat(condition("unready", "ContainersReady", "status")).contains("False");
    JsonNode status = pods.firstContainerStatus("unready");
    assertThat(status.path("started").asBoolean()).isTrue();
    assertThat(status.path("ready").asBoolean()).isFalse();

    assertThat(describe("unready"))
        .containsPattern(
            "Readiness:\\s+http-get http://:web/healthz delay=0s timeout=1s period=1s #success=1 #failure=3");
  }

  @Test
  void anExecReadinessProbeRunsInTheContainer() {
    apply(
        "execready",
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: execready
        spec:
          containers:
          - name: main
            image: busybox
            command: ["sh", "-c", "sleep 4; touch ready-marker; exec sleep 3600"]
            readinessProbe:
              exec:
                command: ["sh", "-c", "test -e ready-marker || { echo not yet; exit 1; }"]
              periodSeconds: 1
        """);
    pods.awaitRunning("execready");
    assertThat(getPod("execready")).containsPattern("^execready\\s+0/1\\s+Running\\s+0\\s");
    Await.until(
        "execready Ready",
        WAIT,
        () -> condition("execready", "Ready", "status").equals(Optional.of("True")));
    assertThat(getPod("execready")).containsPattern("^execready\\s+1/1\\s+Running\\s+0\\s");
    // the command's output is the event's detail
    assertThat(describe("execready"))
        .containsPattern(
            "Readiness:\\s+exec \\[sh -c test -e ready-marker \\|\\| \\{ echo not yet; exit 1; \\}\\] delay=0s timeout=1s period=1s #success=1 #failure=3")
        .containsPattern(
            "Warning\\s+Unhealthy\\s+\\S+( \\(x\\d+ over \\S+\\))?\\s+kubelet\\s+Readiness probe failed: not yet");
  }
}
