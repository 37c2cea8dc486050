package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kubelet is killed under a running {@code exec}: which hop broke must reach the client. Real
 * kubectl on WebSocket (translated at the apiserver) gets a Failure Status naming the kubelet and
 * exits non-zero (upstream reports Success there, and kubectl exits 0); on SPDY, where the
 * apiserver splices bytes, the splice adds the same Failure on the error stream before it closes
 * (kubectl exits 1 where upstream's exits 0), and the apiserver's session endpoint tells that the
 * kubelet ended first.
 */
class BrokenHopIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private KubehopCluster cluster;

  private void up(String... flags) {
    cluster = KubehopCluster.up(flags);
    new Pods(cluster).runBusybox("demo", "sleep", "3600");
  }

  @AfterEach
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * The ids of the apiserver's {@code exec} sessions on default/demo whose hop description starts
   * with {@code describe} ({@code translated}, {@code splice}), in log order.
   */
  private List<String> sessionIds(String describe) {
    try {
      String log = Files.readString(cluster.home().resolve("logs/apiserver.log"));
      Matcher m =
          Pattern.compile("exec session (\\S+) default/demo \\(" + Pattern.quote(describe))
              .matcher(log);
      List<String> ids = new ArrayList<>();
      while (m.find()) {
        ids.add(m.group(1));
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode session(String id) {
    HttpResponse<String> r = cluster.get("/debug/sessions?id=" + id);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The apiserver's socket to the kubelet in a session record. */
  private static JsonNode toKubelet(JsonNode session) {
    for (JsonNode hop : session.path("hops")) {
      if (hop.path("peer").asText().equals("kubelet")) {
        return hop;
      }
    }
    throw new AssertionError("no socket to a kubelet in " + session);
  }

  /** {@code kubectl exec -i demo -- cat}, proven up by one line echoed back. */
  private static RunningCommand cat(Kubectl kubectl) throws IOException {
    RunningCommand cat = kubectl.start("exec", "-i", "demo", "--", "cat");
    OutputStream stdin = cat.process().getOutputStream();
    stdin.write("hop-ping\n".getBytes(StandardCharsets.US_ASCII));
    stdin.flush();
    cat.awaitStdout("hop-ping", Duration.ofSeconds(30));
    return cat;
  }

  private void killKubelet() {
    ProcessHandle kubelet = ProcessHandle.of(cluster.pid("kubelet-node-1")).orElseThrow();
    kubelet.destroyForcibly(); // SIGKILL
    Await.until("the kubelet to die", Duration.ofSeconds(10), () -> !kubelet.isAlive());
  }

  private String kubeletAddress() {
    return "127.0.1.1:" + cluster.kubeletPort();
  }

  @Test
  void kubectlOnWebSocketExitsNonZeroNamingTheKubeletThatWasKilled() throws Exception {
    up();
    Kubectl kubectl = cluster.kubectl("1.33");

    // A normal session first: recorded as closed, the kubelet ending it with a Status delivered.
    ProcessResult ok = kubectl.run("exec", "demo", "--", "true");
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    Await.until("the session logged", () -> sessionIds("translated").size() == 1);
    String okId = sessionIds("translated").get(0);
    Await.until("the session closed", () -> session(okId).has("ended"));
    JsonNode normal = session(okId);
    assertThat(normal.path("id").asText()).isEqualTo(okId);
    assertThat(normal.path("kind").asText()).isEqualTo("exec");
    assertThat(normal.path("namespace").asText()).isEqualTo("default");
    assertThat(normal.path("pod").asText()).isEqualTo("demo");
    assertThat(normal.path("container").asText()).isEqualTo("demo");
    assertThat(normal.path("state").asText()).isEqualTo("closed");
    assertThat(toKubelet(normal).path("node").asText()).isEqualTo("node-1");
    assertThat(toKubelet(normal).path("remote").asText()).isEqualTo(kubeletAddress());
    assertThat(normal.path("ended").path("first").asText()).isEqualTo("kubelet");
    assertThat(normal.path("ended").path("how").asText()).isEqualTo("closed");
    assertThat(normal.path("ended").path("status").asBoolean()).isTrue();

    try (RunningCommand cat = cat(kubectl)) {
      killKubelet();
      assertThat(cat.awaitExit(Duration.ofSeconds(5)))
          .as("kubectl exits within 5 s of the kill")
          .isTrue();
      assertThat(cat.process().exitValue()).as(cat.stderr()).isNotZero();
      assertThat(cat.stderr())
          .containsPattern(
              "error: connection to kubelet node-1 \\("
                  + Pattern.quote(kubeletAddress())
                  + "\\) lost after \\d+\\.\\d s");
    }
    String catId = sessionIds("translated").get(1);
    JsonNode broken = session(catId);
    assertThat(broken.path("ended").path("first").asText()).isEqualTo("kubelet");
    assertThat(broken.path("ended").path("status").asBoolean()).isTrue();
  }

  @Test
  void onSpdyTheSpliceNamesTheKubeletAndTheSessionEndpointTellsItEndedFirst() throws Exception {
    up();
    try (RunningCommand cat = cat(cluster.kubectl("1.29"))) {
      Await.until("the session logged", () -> sessionIds("splice SPDY/3.1").size() == 1);
      String id = sessionIds("splice SPDY/3.1").get(0);
      assertThat(session(id).path("state").asText()).isEqualTo("open");

      killKubelet();
      assertThat(cat.awaitExit(Duration.ofSeconds(5)))
          .as("kubectl sees the end within 5 s of the kill")
          .isTrue();
      // A cut-off error stream is success to kubectl (kubectl#1208): the apiserver's splice puts a
      // Failure naming the kubelet on it before it closes, as its translator does on WebSocket.
      assertThat(cat.process().exitValue()).as(cat.stderr()).isEqualTo(1);
      assertThat(cat.stderr())
          .matches(
              "error: connection to kubelet node-1 \\("
                  + Pattern.quote(kubeletAddress())
                  + "\\) lost after \\d+\\.\\d s\n");
      JsonNode broken = session(id);
      assertThat(broken.path("state").asText()).isEqualTo("closed");
      assertThat(broken.path("kind").asText()).isEqualTo("exec");
      assertThat(toKubelet(broken).path("node").asText()).isEqualTo("node-1");
      assertThat(toKubelet(broken).path("remote").asText()).isEqualTo(kubeletAddress());
      assertThat(broken.path("ended").path("first").asText()).isEqualTo("kubelet");
      assertThat(broken.path("ended").path("how").asText()).isEqualTo("closed");
      assertThat(broken.path("ended").has("status")).as("a splice decodes nothing").isFalse();
      // The same end in the inspector's record, among the closed sessions.
      HttpResponse<String> all = cluster.get("/debug/sessions");
      assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
      JsonNode inspected = null;
      for (JsonNode s : JSON.readTree(all.body()).path("sessions")) {
        if (s.path("id").asText().equals(id)) {
          inspected = s;
        }
      }
      assertThat(inspected).as(all.body()).isNotNull();
      assertThat(inspected.path("state").asText()).isEqualTo("closed");
      assertThat(inspected.path("ended").path("first").asText()).isEqualTo("kubelet");
      assertThat(inspected.path("ended").path("how").asText()).isEqualTo("closed");
    }
  }

  /**
   * With {@code --websocket-translation=kubelet} the apiserver splices the WebSocket to the
   * kubelet, which translates: when the kubelet dies, kubectl sees the WebSocket cut off (1006) and
   * exits non-zero, without the kubelet's name; the session endpoint has it.
   */
  @Test
  void aWebSocketPassedThroughToAKilledKubeletEndsNonZeroAndTheEndpointNamesIt() throws Exception {
    up("--websocket-translation", "kubelet");
    try (RunningCommand cat = cat(cluster.kubectl("1.33"))) {
      Await.until("the session logged", () -> sessionIds("splice websocket").size() == 1);
      String id = sessionIds("splice websocket").get(0);

      killKubelet();
      assertThat(cat.awaitExit(Duration.ofSeconds(5)))
          .as("kubectl exits within 5 s of the kill")
          .isTrue();
      assertThat(cat.process().exitValue()).as(cat.stderr()).isNotZero();
      assertThat(cat.stderr()).contains("websocket: close 1006 (abnormal closure)");
      JsonNode broken = session(id);
      assertThat(toKubelet(broken).path("node").asText()).isEqualTo("node-1");
      assertThat(broken.path("ended").path("first").asText()).isEqualTo("kubelet");
      assertThat(broken.path("ended").has("status")).as("a splice decodes nothing").isFalse();
    }
  }
}
