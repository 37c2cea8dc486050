package io.kubehop.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.cri.v1.ExecSyncRequest;
import io.kubehop.kubelet.fake.FakeRuntime;
import io.kubehop.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes through a whole kubelet, against the fake runtime (exec probes, whose exit codes the test
 * sets) and the fake apiserver (which keeps the events).
 */
class ProbeLifecycleTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path home;

  private KubeletHarness h;

  @BeforeEach
  void start() throws Exception {
    h = new KubeletHarness(home);
    h.startKubelet();
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
  }

  private static String probe(String command, int failureThreshold) {
    return "{\"exec\":{\"command\":[\""
        + command
        + "\"]},\"periodSeconds\":1,\"failureThreshold\":"
        + failureThreshold
        + "}";
  }

  private void createPod(String name, String probes) {
    h.api.createPod(
        PodLifecycleTest.pod(
            name,
            "Always",
            "{\"name\":\"main\",\"image\":\"busybox\",\"command\":[\"sleep\",\"1000\"]"
                + probes
                + "}"));
  }

  private JsonNode containerStatus(String name) {
    JsonNode pod = h.api.pod("default", name);
    return pod == null ? null : pod.path("status").path("containerStatuses").path(0);
  }

  private String condition(String pod, String type) {
    for (JsonNode c : h.api.pod("default", pod).path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c.path("status").asText();
      }
    }
    return null;
  }

  private boolean running(String name) {
    JsonNode s = containerStatus(name);
    return s != null && s.path("state").has("running");
  }

  private List<String> commands() {
    return h.runtime.calls("ExecSync").stream()
        .map(c -> ((ExecSyncRequest) c.request()).getCmd(0))
        .toList();
  }

  @Test
  void readinessDecidesReadyAndTheConditions() throws Exception {
    h.runtime.execSyncExit.put("ready", 1);
    createPod("rd", ",\"readinessProbe\":" + probe("ready", 1));
    Await.until(
        "readiness probed",
        WAIT,
        () ->
            running("rd")
                && h.api.eventsOf("rd").stream().anyMatch(e -> e.startsWith("Unhealthy")));
    JsonNode s = containerStatus("rd");
    assertTrue(s.path("started").asBoolean());
    assertFalse(s.path("ready").asBoolean());
    assertEquals("False", condition("rd", "Ready"));
    assertEquals("False", condition("rd", "ContainersReady"));
    assertTrue(
        h.api.eventsOf("rd").stream()
            .anyMatch(e -> e.startsWith("Unhealthy: Readiness probe failed: out 1")),
        () -> "events: " + h.api.eventsOf("rd"));

    h.runtime.execSyncExit.put("ready", 0);
    Await.until("ready", WAIT, () -> containerStatus("rd").path("ready").asBoolean());
    Await.until("Ready condition", WAIT, () -> "True".equals(condition("rd", "Ready")));
    assertEquals("True", condition("rd", "ContainersReady"));
    assertEquals(0, containerStatus("rd").path("restartCount").asInt()); // readiness never kills
  }

  @Test
  void theStartupProbeGatesLivenessAndReadiness() throws Exception {
    h.runtime.execSyncExit.put("startup", 1);
    createPod(
        "st",
        ",\"startupProbe\":"
            + probe("startup", 1000)
            + ",\"livenessProbe\":"
            + probe("live", 3)
            + ",\"readinessProbe\":"
            + probe("ready", 3));
    Await.until(
        "startup probed twice",
        WAIT,
        () -> commands().stream().filter("startup"::equals).count() >= 2);
    Await.until("running", WAIT, () -> running("st"));
    JsonNode s = containerStatus("st");
    assertFalse(s.path("started").asBoolean());
    assertFalse(s.path("ready").asBoolean());
    assertFalse(commands().contains("live"), () -> "commands: " + commands());
    assertFalse(commands().contains("ready"), () -> "commands: " + commands());

    h.runtime.execSyncExit.put("startup", 0);
    Await.until("started and ready", WAIT, () -> containerStatus("st").path("ready").asBoolean());
    assertTrue(containerStatus("st").path("started").asBoolean());
    Await.until("liveness probed", WAIT, () -> commands().contains("live"));
    int startupRuns = (int) commands().stream().filter("startup"::equals).count();
    Await.until(
        "readiness probed twice more",
        WAIT,
        () -> commands().stream().filter("ready"::equals).count() >= 2);
    // a started container's startup probe stops
    assertEquals(startupRuns, commands().stream().filter("startup"::equals).count());
  }

  @Test
  void aFailingLivenessProbeKillsAndRestartsTheContainer() throws Exception {
    h.runtime.execSyncExit.put("live", 1);
    createPod("lv", ",\"livenessProbe\":" + probe("live", 2));
    Await.until(
        "restarted",
        WAIT,
        () ->
            containerStatus("lv") != null
                && containerStatus("lv").path("restartCount").asInt() >= 1);
    Await.until(
        "events",
        WAIT,
        () ->
            h.api.eventsOf("lv").stream()
                .anyMatch(
                    e ->
                        e.startsWith(
                            "Killing: Container main failed liveness probe, will be restarted")));
    List<String> events = h.api.eventsOf("lv");
    assertTrue(
        events.stream().anyMatch(e -> e.startsWith("Unhealthy: Liveness probe failed: out 1")),
        () -> "events: " + events);
    assertTrue(
        events.contains("Pulled: Container image \"busybox\" already present on machine (x2)")
            || events.stream()
                .anyMatch(
                    e ->
                        e.startsWith(
                            "Pulled: Container image \"busybox\" already present on machine")),
        () -> "events: " + events);
    assertTrue(events.stream().anyMatch(e -> e.startsWith("Created: Created container main")));
    assertTrue(events.stream().anyMatch(e -> e.startsWith("Started: Started container main")));
    // the first container was stopped by the kubelet
    assertFalse(h.runtime.calls("StopContainer").isEmpty());
    FakeRuntime.Ctr first = h.runtime.containers().get(0);
    assertEquals(143, first.exitCode);
  }

  @Test
  void probesStopWithTheirPod() throws Exception {
    h.runtime.execSyncExit.put("ready", 1);
    createPod("gone", ",\"readinessProbe\":" + probe("ready", 1));
    Await.until("probing", WAIT, () -> commands().contains("ready"));
    assertEquals(1, h.kubelet.pods().probes().workers());
    h.api.markDeleting("default", "gone", 0);
    Await.until("pod removed", WAIT, () -> h.api.pod("default", "gone") == null);
    Await.until("workers stopped", WAIT, () -> h.kubelet.pods().probes().workers() == 0);
  }
}
