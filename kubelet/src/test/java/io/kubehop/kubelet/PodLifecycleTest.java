package io.kubehop.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.cri.v1.ContainerConfig;
import io.kubehop.cri.v1.CreateContainerRequest;
import io.kubehop.cri.v1.KeyValue;
import io.kubehop.cri.v1.PodSandboxConfig;
import io.kubehop.cri.v1.RunPodSandboxRequest;
import io.kubehop.cri.v1.StartContainerRequest;
import io.kubehop.cri.v1.StopContainerRequest;
import io.kubehop.kubelet.fake.FakeApiServer;
import io.kubehop.kubelet.fake.FakeRuntime;
import io.kubehop.testkit.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodLifecycleTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

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

  static String pod(String name, String restartPolicy, String containerJson) {
    return "{\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\"default\",\"labels\":{\"app\":\""
        + name
        + "\"}},"
        + "\"spec\":{\"nodeName\":\"node-t\",\"restartPolicy\":\""
        + restartPolicy
        + "\",\"containers\":["
        + containerJson
        + "]}}";
  }

  private JsonNode status(String name) {
    JsonNode pod = h.api.pod("default", name);
    return pod == null ? null : pod.get("status");
  }

  @Test
  void runsABoundPodThroughCriAndReportsItRunning() throws Exception {
    JsonNode created =
        h.api.createPod(
            pod(
                "web",
                "Always",
                "{\"name\":\"main\",\"image\":\"busybox\","
                    + "\"command\":[\"sh\",\"-c\"],\"args\":[\"echo hi; sleep 1000\"],\"workingDir\":\"/tmp\","
                    + "\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"two\"}],"
                    + "\"ports\":[{\"containerPort\":8080,\"protocol\":\"TCP\"}],\"stdin\":true,\"stdinOnce\":true,\"tty\":true}"));
    String uid = created.at("/metadata/uid").asText();
    Await.until(
        "pod Running",
        WAIT,
        () -> status("web") != null && "Running".equals(status("web").path("phase").asText()));

    RunPodSandboxRequest run =
        (RunPodSandboxRequest) h.runtime.calls("RunPodSandbox").get(0).request();
    PodSandboxConfig sc = run.getConfig();
    assertEquals("web", sc.getMetadata().getName());
    assertEquals(uid, sc.getMetadata().getUid());
    assertEquals("default", sc.getMetadata().getNamespace());
    assertEquals(0, sc.getMetadata().getAttempt());
    assertEquals("web", sc.getHostname());
    assertEquals(
        home.resolve("nodes/node-t/pods/default_web_" + uid).toString(), sc.getLogDirectory());
    assertEquals(1, sc.getPortMappingsCount());
    assertEquals(8080, sc.getPortMappings(0).getContainerPort());
    assertEquals(
        Map.of(
            "app",
            "web",
            "io.kubernetes.pod.name",
            "web",
            "io.kubernetes.pod.namespace",
            "default",
            "io.kubernetes.pod.uid",
            uid),
        sc.getLabelsMap());

    CreateContainerRequest create =
        (CreateContainerRequest) h.runtime.calls("CreateContainer").get(0).request();
    ContainerConfig cc = create.getConfig();
    assertEquals("sb-1", create.getPodSandboxId());
    assertEquals("main", cc.getMetadata().getName());
    assertEquals(0, cc.getMetadata().getAttempt());
    assertEquals("busybox", cc.getImage().getImage());
    assertEquals(List.of("sh", "-c"), cc.getCommandList());
    assertEquals(List.of("echo hi; sleep 1000"), cc.getArgsList());
    assertEquals("/tmp", cc.getWorkingDir());
    assertEquals(
        List.of(
            KeyValue.newBuilder().setKey("A").setValue("1").build(),
            KeyValue.newBuilder().setKey("B").setValue("two").build()),
        cc.getEnvsList());
    assertEquals(
        Map.of(
            "io.kubernetes.pod.name",
            "web",
            "io.kubernetes.pod.namespace",
            "default",
            "io.kubernetes.pod.uid",
            uid,
            "io.kubernetes.container.name",
            "main"),
        cc.getLabelsMap());
    assertEquals("0", cc.getAnnotationsMap().get("io.kubernetes.container.restartCount"));
    assertEquals("main/0.log", cc.getLogPath());
    assertTrue(cc.getStdin() && cc.getStdinOnce() && cc.getTty());
    String id =
        ((StartContainerRequest) h.runtime.calls("StartContainer").get(0).request())
            .getContainerId();
    assertEquals(h.runtime.containers().get(0).id, id);

    JsonNode status = status("web");
    assertEquals("127.20.1.2", status.get("podIP").asText());
    assertEquals("[{\"ip\":\"127.20.1.2\"}]", status.get("podIPs").toString());
    assertEquals("127.0.0.1", status.get("hostIP").asText());
    assertNotNull(status.get("startTime"));
    JsonNode cs = status.at("/containerStatuses/0");
    assertEquals("main", cs.get("name").asText());
    assertEquals("busybox", cs.get("image").asText());
    assertEquals("sha256:fake", cs.get("imageID").asText());
    assertEquals("kubehop://" + id, cs.get("containerID").asText());
    assertTrue(cs.get("ready").asBoolean());
    assertTrue(cs.get("started").asBoolean());
    assertEquals(0, cs.get("restartCount").asInt());
    assertNotNull(cs.at("/state/running/startedAt").textValue());
    for (String type : List.of("Initialized", "Ready", "ContainersReady", "PodScheduled")) {
      assertTrue(
          status
              .get("conditions")
              .toString()
              .contains("{\"type\":\"" + type + "\",\"status\":\"True\""),
          type);
    }

    // Status is only written when it changes: resyncs (every 200 ms) do not add PUTs.
    int puts = h.api.requests("PUT", "/api/v1/namespaces/default/pods/web/status").size();
    int lists = h.runtime.calls("ListContainers").size();
    Await.until(
        "five more resyncs", WAIT, () -> h.runtime.calls("ListContainers").size() >= lists + 5);
    assertEquals(puts, h.api.requests("PUT", "/api/v1/namespaces/default/pods/web/status").size());
    assertEquals(1, h.runtime.calls("CreateContainer").size());

    HttpResponse<String> pods =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(h.kubeletUrl() + "/pods")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, pods.statusCode());
    JsonNode list = ApiJson.tree(pods.body().getBytes());
    assertEquals("PodList", list.get("kind").asText());
    assertEquals("web", list.at("/items/0/metadata/name").asText());
    assertEquals("Running", list.at("/items/0/status/phase").asText());
    HttpResponse<String> healthz =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(h.kubeletUrl() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals("ok", healthz.body());
  }

  @Test
  void neverRestartPolicyEndsFailedWithTheExitCode() {
    h.api.createPod(
        pod(
            "once",
            "Never",
            "{\"name\":\"main\",\"image\":\"busybox\",\"command\":[\"fake-exit\",\"3\"]}"));
    Await.until(
        "pod Failed",
        WAIT,
        () -> status("once") != null && "Failed".equals(status("once").path("phase").asText()));
    JsonNode cs = status("once").at("/containerStatuses/0");
    JsonNode terminated = cs.at("/state/terminated");
    assertEquals(3, terminated.get("exitCode").asInt());
    assertEquals("Error", terminated.get("reason").asText());
    assertEquals(
        "kubehop://" + h.runtime.containers().get(0).id, terminated.get("containerID").asText());
    assertNotNull(terminated.get("startedAt"));
    assertNotNull(terminated.get("finishedAt"));
    assertFalse(cs.get("ready").asBoolean());
    assertEquals(0, cs.get("restartCount").asInt());
    assertEquals(1, h.runtime.calls("CreateContainer").size());
  }

  @Test
  void onFailurePolicyEndsSucceededOnExitZero() {
    h.api.createPod(
        pod(
            "job",
            "OnFailure",
            "{\"name\":\"main\",\"image\":\"busybox\",\"command\":[\"fake-exit\",\"0\"]}"));
    Await.until(
        "pod Succeeded",
        WAIT,
        () -> status("job") != null && "Succeeded".equals(status("job").path("phase").asText()));
    assertEquals(
        "Completed", status("job").at("/containerStatuses/0/state/terminated/reason").asText());
    assertEquals(1, h.runtime.calls("CreateContainer").size());
  }

  @Test
  void alwaysRestartPolicyRestartsWithCrashLoopBackOff() {
    JsonNode created =
        h.api.createPod(
            pod(
                "crash",
                "Always",
                "{\"name\":\"main\",\"image\":\"busybox\",\"command\":[\"fake-exit\",\"1\"]}"));
    String uid = created.at("/metadata/uid").asText();
    Await.until(
        "restartCount >= 3",
        Duration.ofSeconds(20),
        () ->
            status("crash") != null
                && status("crash").at("/containerStatuses/0/restartCount").asInt() >= 3);
    List<JsonNode> backoffs =
        h.api.requests("PUT", "/api/v1/namespaces/default/pods/crash/status").stream()
            .map(r -> r.body().at("/status/containerStatuses/0"))
            .filter(cs -> "CrashLoopBackOff".equals(cs.at("/state/waiting/reason").asText()))
            .toList();
    assertFalse(backoffs.isEmpty(), "a CrashLoopBackOff status between restarts");
    JsonNode first = backoffs.get(0);
    assertEquals(
        "back-off 1s restarting failed container=main pod=crash_default(" + uid + ")",
        first.at("/state/waiting/message").asText());
    assertEquals(1, first.at("/lastState/terminated/exitCode").asInt());
    assertEquals(
        "Running",
        h.api.requests("PUT", "/api/v1/namespaces/default/pods/crash/status").stream()
            .map(r -> r.body().at("/status/phase").asText())
            .filter(p -> !p.equals("Pending"))
            .findFirst()
            .orElse(""));
    assertTrue(
        backoffs.stream()
            .anyMatch(cs -> cs.at("/state/waiting/message").asText().startsWith("back-off 2s ")),
        "the delay doubles");
    // Each restart is a new container with attempt = restartCount and its own log file.
    List<ContainerConfig> configs =
        h.runtime.calls("CreateContainer").stream()
            .map(c -> ((CreateContainerRequest) c.request()).getConfig())
            .toList();
    for (int i = 0; i < configs.size(); i++) {
      assertEquals(i, configs.get(i).getMetadata().getAttempt());
      assertEquals(
          Integer.toString(i),
          configs.get(i).getAnnotationsMap().get("io.kubernetes.container.restartCount"));
      assertEquals("main/" + i + ".log", configs.get(i).getLogPath());
    }
    // Attempts older than the previous one are removed.
    Await.until("at most two attempts kept", WAIT, () -> h.runtime.containers().size() <= 2);
  }

  @Test
  void aContainerThatCannotStartIsReportedWaitingWithTheRuntimeError() throws Exception {
    h.api.createPod(
        pod(
            "broken",
            "Always",
            "{\"name\":\"main\",\"image\":\"busybox\",\"command\":[\"fake-fail-start\"]}"));
    Await.until(
        "RunContainerError",
        WAIT,
        () ->
            status("broken") != null
                && "RunContainerError"
                    .equals(
                        status("broken").at("/containerStatuses/0/state/waiting/reason").asText()));
    JsonNode status = status("broken");
    assertEquals("Pending", status.get("phase").asText());
    assertEquals(
        "rpc error: code = NotFound desc = exec: \"fake-fail-start\": executable file not found in $PATH",
        status.at("/containerStatuses/0/state/waiting/message").asText());
    assertEquals(
        1,
        h.runtime.calls("CreateContainer").size(),
        "the created container is started again, not recreated");
    Await.until("start retried", WAIT, () -> h.runtime.calls("StartContainer").size() >= 3);
    HttpResponse<String> logs =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(h.kubeletUrl() + "/containerLogs/default/broken/main"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(400, logs.statusCode());
    assertEquals(
        "container \"main\" in pod \"broken\" is waiting to start: RunContainerError", logs.body());
  }

  @Test
  void gracefulDeletionStopsRemovesThenDeletes() {
    h.api.createPod(
        pod(
            "gone",
            "Always",
            "{\"name\":\"main\",\"image\":\"busybox\",\"command\":[\"sleep\",\"1000\"]}"));
    Await.until(
        "pod Running",
        WAIT,
        () -> status("gone") != null && "Running".equals(status("gone").path("phase").asText()));
    String id = h.runtime.containers().get(0).id;
    h.api.markDeleting("default", "gone", 7);
    Await.until(
        "final DELETE",
        WAIT,
        () -> !h.api.requests("DELETE", "/api/v1/namespaces/default/pods/gone").isEmpty());
    FakeApiServer.Request delete =
        h.api.requests("DELETE", "/api/v1/namespaces/default/pods/gone").get(0);
    assertEquals("{\"gracePeriodSeconds\":0}", delete.body().toString());
    FakeRuntime.Call stop = h.runtime.calls("StopContainer").get(0);
    assertEquals(id, ((StopContainerRequest) stop.request()).getContainerId());
    assertEquals(7, ((StopContainerRequest) stop.request()).getTimeout());
    FakeRuntime.Call stopSandbox = h.runtime.calls("StopPodSandbox").get(0);
    FakeRuntime.Call remove = h.runtime.calls("RemovePodSandbox").get(0);
    assertTrue(
        stop.at() < stopSandbox.at() && stopSandbox.at() < remove.at() && remove.at() < delete.at(),
        "StopContainer, StopPodSandbox, RemovePodSandbox, then DELETE");
    assertNull(h.api.pod("default", "gone"));
    assertTrue(h.runtime.sandboxes().isEmpty());
    assertEquals(1, h.api.requests("DELETE", "/api/v1/namespaces/default/pods/gone").size());
  }

  @Test
  void reListsAndReWatchesWhenTheWatchEnds() {
    Await.until(
        "a watch",
        WAIT,
        () ->
            h.api.requests("GET", "/api/v1/pods").stream()
                .anyMatch(r -> r.query().contains("watch=true")));
    int lists =
        (int)
            h.api.requests("GET", "/api/v1/pods").stream()
                .filter(r -> !r.query().contains("watch"))
                .count();
    h.api.dropWatches();
    Await.until(
        "a new list and watch",
        WAIT,
        () ->
            h.api.requests("GET", "/api/v1/pods").stream()
                    .filter(r -> !r.query().contains("watch"))
                    .count()
                > lists);
    h.api.createPod(pod("late", "Always", "{\"name\":\"main\",\"image\":\"busybox\"}"));
    Await.until(
        "pod Running",
        WAIT,
        () -> status("late") != null && "Running".equals(status("late").path("phase").asText()));
    List<FakeApiServer.Request> watches =
        h.api.requests("GET", "/api/v1/pods").stream()
            .filter(r -> r.query().contains("watch=true"))
            .toList();
    assertTrue(watches.size() >= 2, "watched again");
    for (FakeApiServer.Request w : watches) {
      assertTrue(
          w.query()
              .matches(
                  "fieldSelector=spec\\.nodeName%3Dnode-t&watch=true&resourceVersion=\\d+"
                      + "&allowWatchBookmarks=true&timeoutSeconds=\\d+"),
          w.query());
    }
  }

  @Test
  void aPodThatVanishesIsTornDown() {
    h.api.createPod(pod("vanish", "Always", "{\"name\":\"main\",\"image\":\"busybox\"}"));
    Await.until(
        "pod Running",
        WAIT,
        () ->
            status("vanish") != null && "Running".equals(status("vanish").path("phase").asText()));
    h.api.removePod("default", "vanish");
    Await.until("sandbox removed", WAIT, () -> h.runtime.sandboxes().isEmpty());
    assertTrue(h.api.requests("DELETE", "/api/v1/namespaces/default/pods/vanish").isEmpty());
  }
}
