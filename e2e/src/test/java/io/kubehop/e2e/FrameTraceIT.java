package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/kubehop up --trace-frames}: kubectl 1.29 speaks SPDY, which the apiserver and the
 * kubelet splice. Each of them logs every frame of the session, decoded from a copy of what it
 * relayed: the apiserver the bytes between the client and the kubelet, the kubelet those between
 * the apiserver and the runtime, so together they cover all three hops. The frames carrying {@code
 * hi} travel on the stdin stream one way and the stdout stream back, and the error stream carries
 * the Status with the exit code, at both tiers under the same session id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrameTraceIT {

  private KubehopCluster cluster;

  @BeforeAll
  void up() {
    cluster = KubehopCluster.up("--trace-frames");
    Pods pods = new Pods(cluster);
    pods.runBusybox("demo", "sleep", "3600");
    pods.awaitRunning("demo");
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * kubectl 1.29 speaks SPDY, which both tiers splice. kubectl 1.33 speaks WebSocket, which the
   * apiserver translates: its trace shows the client's WebSocket messages and the SPDY frames it
   * makes of them toward the kubelet, which splices them on to the runtime.
   */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.29", "1.33"})
  void everyHopLogsTheFramesThatCarryHiAndTheExitStatus(String minor) {
    Path apiserver = cluster.home().resolve("logs/apiserver-frames.jsonl");
    Path kubelet = cluster.home().resolve("logs/kubelet-node-1-frames.jsonl");
    Set<String> before = sessions(events(apiserver));
    Kubectl kubectl = cluster.kubectl(minor);
    ProcessResult cat =
        kubectl.run("hi\n", Duration.ofSeconds(60), "exec", "-i", "demo", "--", "cat");
    assertThat(cat.stdout()).as("%s", cat).isEqualTo("hi\n");
    ProcessResult exit = kubectl.run("exec", "demo", "--", "sh", "-c", "exit 3");
    assertThat(exit.exitCode()).as("%s", exit).isEqualTo(3);
    // The trace's writers flush on their own thread: wait for the exit status in both.
    Await.until(
        "the exit status in both traces",
        Duration.ofSeconds(10),
        () ->
            fresh(events(apiserver), before).stream().anyMatch(exitStatus(3))
                && fresh(events(kubelet), before).stream().anyMatch(exitStatus(3)));

    List<JsonNode> api = fresh(events(apiserver), before);
    List<JsonNode> node = fresh(events(kubelet), before);
    boolean spliced = minor.equals("1.29");
    String session = sessionOf(api, payload(spliced ? "kubelet" : "apiserver", "stdin", "hi\n"));
    List<JsonNode> atApiserver = events(api, session);
    if (spliced) {
      assertThat(atApiserver)
          .as("one event per spliced frame, for both of the apiserver's sockets")
          .anyMatch(payload("client", "kubelet", "stdin", "hi\n"))
          .anyMatch(payload("kubelet", "client", "stdout", "hi\n"))
          .allMatch(e -> e.path("protocol").asText().equals("spdy/3.1"));
    } else {
      assertThat(atApiserver)
          .anyMatch(payload("client", "apiserver", "stdin", "hi\n").and(websocket(0)))
          .anyMatch(payload("apiserver", "kubelet", "stdin", "hi\n").and(spdy()))
          .anyMatch(payload("kubelet", "apiserver", "stdout", "hi\n").and(spdy()))
          .anyMatch(payload("apiserver", "client", "stdout", "hi\n").and(websocket(1)));
    }
    assertThat(events(node, session))
        .as("the kubelet logs the same session under the same id")
        .anyMatch(payload("apiserver", "runtime", "stdin", "hi\n"))
        .anyMatch(payload("runtime", "apiserver", "stdout", "hi\n"));
    for (List<JsonNode> tier : List.of(api, node)) {
      assertThat(tier)
          .as("the stream set-up: a SYN_STREAM per stream, its type named")
          .filteredOn(e -> e.path("session").asText().equals(session))
          .filteredOn(e -> e.path("frame").asText().equals("SYN_STREAM"))
          .extracting(e -> e.path("streamType").asText())
          .contains("error", "stdin", "stdout");
      String exitSession = sessionOf(tier, exitStatus(3));
      assertThat(exitSession).isNotEqualTo(session);
    }
    if (!spliced) {
      assertThat(events(api, sessionOf(api, exitStatus(3))))
          .as("the Status on the WebSocket's error channel, then the client's close frame")
          .anyMatch(exitStatus(3).and(websocket(3)))
          .anyMatch(
              e ->
                  e.path("frame").asText().equals("close")
                      && e.path("from").asText().equals("client"));
    }
    assertThat(api).allMatch(e -> e.path("tier").asText().equals("apiserver"));
    assertThat(node).allMatch(e -> e.path("tier").asText().equals("kubelet"));

    // kubehop trace --frames: the same events, from both tiers' /debug/frames, in time order.
    ProcessResult printed = cluster.kubehop("trace", "--frames", session);
    assertThat(printed.exitCode()).as("%s", printed).isZero();
    List<String> lines = printed.stdout().lines().toList();
    assertThat(lines).hasSize(events(api, session).size() + events(node, session).size());
    assertThat(lines)
        .anyMatch(
            l ->
                l.matches(
                    ".* kubelet +apiserver->runtime +spdy/3.1 DATA stream=\\d+ stdin flags=0 len=3 \"hi\\\\n\""))
        .anyMatch(
            l ->
                l.matches(
                    ".* apiserver +"
                        + (spliced
                            ? "client->kubelet +spdy/3.1 DATA stream=\\d+"
                            : "client->apiserver +websocket binary channel=0")
                        + " stdin .*len=3 \"hi\\\\n\""));
    ProcessResult json = cluster.kubehop("trace", "--frames", "-o", "json", session);
    List<JsonNode> merged = json.stdout().lines().map(Pods::tree).toList();
    assertThat(merged)
        .hasSize(lines.size())
        .allMatch(e -> e.path("session").asText().equals(session));
    assertThat(merged).extracting(e -> e.path("time").asText()).as("in time order").isSorted();
  }

  /** A frame or message carrying exactly {@code text} on the stream {@code streamType}. */
  private static Predicate<JsonNode> payload(
      String from, String to, String streamType, String text) {
    return payload(to, streamType, text).and(e -> e.path("from").asText().equals(from));
  }

  private static Predicate<JsonNode> payload(String to, String streamType, String text) {
    return e ->
        Set.of("DATA", "binary").contains(e.path("frame").asText())
            && e.path("to").asText().equals(to)
            && e.path("streamType").asText().equals(streamType)
            && e.path("text").asText().equals(text)
            && e.path("length").asInt() == text.length();
  }

  private static Predicate<JsonNode> spdy() {
    return e ->
        e.path("protocol").asText().equals("spdy/3.1") && e.path("frame").asText().equals("DATA");
  }

  private static Predicate<JsonNode> websocket(int channel) {
    return e ->
        e.path("protocol").asText().equals("websocket v5.channel.k8s.io")
            && e.path("frame").asText().equals("binary")
            && e.path("channel").asInt(-1) == channel;
  }

  /** A frame or message on the error stream with the Status of a non-zero exit. */
  private static Predicate<JsonNode> exitStatus(int code) {
    return e ->
        Set.of("DATA", "binary").contains(e.path("frame").asText())
            && e.path("streamType").asText().equals("error")
            && e.path("text").asText().contains("\"reason\":\"NonZeroExitCode\"")
            && e.path("text").asText().contains("\"message\":\"" + code + "\"");
  }

  private static Set<String> sessions(List<JsonNode> events) {
    return events.stream().map(e -> e.path("session").asText()).collect(Collectors.toSet());
  }

  /** The events of sessions that are not in {@code before}. */
  private static List<JsonNode> fresh(List<JsonNode> events, Set<String> before) {
    return events.stream().filter(e -> !before.contains(e.path("session").asText())).toList();
  }

  private static String sessionOf(List<JsonNode> events, Predicate<JsonNode> which) {
    return events.stream()
        .filter(which)
        .map(e -> e.path("session").asText())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no such frame in " + events));
  }

  private static List<JsonNode> events(List<JsonNode> events, String session) {
    return events.stream().filter(e -> e.path("session").asText().equals(session)).toList();
  }

  private static List<JsonNode> events(Path file) {
    try {
      if (!Files.exists(file)) {
        return List.of();
      }
      return Files.readAllLines(file).stream().map(Pods::tree).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
