package io.kubehop.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.version.VersionInfo;
import io.kubehop.kubelet.fake.FakeApiServer;
import io.kubehop.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStatusTest {

  @TempDir Path home;

  @Test
  void registersTheNodeAndHeartbeats() throws Exception {
    try (KubeletHarness h = new KubeletHarness(home)) {
      int port = h.startKubelet();
      List<FakeApiServer.Request> posts = h.api.requests("POST", "/api/v1/nodes");
      assertEquals(1, posts.size());
      JsonNode node = posts.get(0).body();
      assertEquals("node-t", node.at("/metadata/name").asText());
      assertEquals("node-t", node.at("/metadata/labels/kubernetes.io~1hostname").asText());
      assertEquals("linux", node.at("/metadata/labels/kubernetes.io~1os").asText());
      JsonNode status = node.get("status");
      assertEquals(
          "[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"},{\"type\":\"Hostname\",\"address\":\"node-t\"}]",
          status.get("addresses").toString());
      assertEquals(port, status.at("/daemonEndpoints/kubeletEndpoint/Port").asInt());
      assertEquals(
          "{\"cpu\":\"4\",\"memory\":\"8000000Ki\",\"pods\":\"110\"}",
          sorted(status.get("capacity")));
      assertEquals(sorted(status.get("capacity")), sorted(status.get("allocatable")));
      assertEquals(
          VersionInfo.get().gitVersion(),
          status.at("/nodeInfo/kubeletVersion").asText(),
          "the kubelet reports kubehop's one version, which the apiserver's /version says too");
      assertEquals("fake://0.1", status.at("/nodeInfo/containerRuntimeVersion").asText());
      assertEquals("linux", status.at("/nodeInfo/operatingSystem").asText());
      assertEquals("amd64", status.at("/nodeInfo/architecture").asText());
      JsonNode ready = status.at("/conditions/0");
      assertEquals("Ready", ready.get("type").asText());
      assertEquals("True", ready.get("status").asText());
      assertEquals("KubeletReady", ready.get("reason").asText());
      assertEquals("kubelet is posting ready status", ready.get("message").asText());
      Instant firstBeat = Instant.parse(ready.get("lastHeartbeatTime").asText());

      Await.until(
          "two heartbeats",
          Duration.ofSeconds(10),
          () -> h.api.requests("PUT", "/api/v1/nodes/node-t/status").size() >= 2);
      Await.until(
          "a heartbeat at least a second after registration",
          Duration.ofSeconds(10),
          () -> {
            JsonNode beat = h.api.node("node-t").at("/status/conditions/0");
            return Instant.parse(beat.get("lastHeartbeatTime").asText()).isAfter(firstBeat)
                && beat.get("lastTransitionTime")
                    .asText()
                    .equals(ready.get("lastTransitionTime").asText());
          });
    }
  }

  @Test
  void takesOverAnExistingNode() throws Exception {
    try (KubeletHarness h = new KubeletHarness(home)) {
      h.api.putNode(
          "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-t\",\"labels\":{\"keep\":\"me\"}}}");
      int port = h.startKubelet();
      assertTrue(h.api.requests("GET", "/api/v1/nodes/node-t").size() >= 2);
      assertEquals(1, h.api.requests("PUT", "/api/v1/nodes/node-t").size());
      assertTrue(
          h.api.requests("PUT", "/api/v1/nodes/node-t/status").get(0).at()
              < h.api.requests("PUT", "/api/v1/nodes/node-t").get(0).at() + 250_000_000L,
          "status written at takeover");
      JsonNode node = h.api.node("node-t");
      assertEquals("me", node.at("/metadata/labels/keep").asText());
      assertEquals("node-t", node.at("/metadata/labels/kubernetes.io~1hostname").asText());
      assertEquals(port, node.at("/status/daemonEndpoints/kubeletEndpoint/Port").asInt());
    }
  }

  @Test
  void reportsNotReadyWhileTheRuntimeIsDown() throws Exception {
    try (KubeletHarness h = new KubeletHarness(home)) {
      h.startKubelet();
      h.runtime.stopServing();
      Await.until(
          "Ready=False",
          Duration.ofSeconds(10),
          () -> {
            JsonNode ready = h.api.node("node-t").at("/status/conditions/0");
            return ready.get("status").asText().equals("False");
          });
      JsonNode ready = h.api.node("node-t").at("/status/conditions/0");
      assertEquals("KubeletNotReady", ready.get("reason").asText());
      assertTrue(
          ready
              .get("message")
              .asText()
              .startsWith(
                  "container runtime is down: rpc error: code = Unavailable desc = connection error: "),
          ready.toString());
      h.runtime.start();
      Await.until(
          "Ready=True again",
          Duration.ofSeconds(10),
          () -> h.api.node("node-t").at("/status/conditions/0/status").asText().equals("True"));
    }
  }

  @Test
  void heartbeatRetriesConflictsByGettingTheNodeAgain() throws Exception {
    try (KubeletHarness h = new KubeletHarness(home)) {
      h.startKubelet();
      int gets = h.api.requests("GET", "/api/v1/nodes/node-t").size();
      h.api.conflictNextNodeStatusUpdates(2);
      Await.until(
          "a heartbeat after two conflicts",
          Duration.ofSeconds(10),
          () ->
              h.api.requests("PUT", "/api/v1/nodes/node-t/status").size() >= 3
                  && h.api.requests("GET", "/api/v1/nodes/node-t").size() >= gets + 3
                  && h.api
                      .node("node-t")
                      .at("/status/conditions/0/status")
                      .asText()
                      .equals("True"));
    }
  }

  private static String sorted(JsonNode object) throws Exception {
    return ApiJson.mapper().writeValueAsString(ApiJson.mapper().treeToValue(object, TreeMap.class));
  }
}
