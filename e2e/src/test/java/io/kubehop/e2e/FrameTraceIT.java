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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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
  private Kubectl kubectl;

  @BeforeAll
  void up() {
    cluster = KubehopCluster.up("--trace-frames");
    kubectl = cluster.kubectl("1.29");
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

  @Test
  void everyHopLogsTheFramesThatCarryHiAndTheExitStatus() {
    ProcessResult cat =
        kubectl.run("hi\n", Duration.ofSeconds(60), "exec", "-i", "demo", "--", "cat");
    assertThat(cat.stdout()).as("%s", cat).isEqualTo("hi\n");
    ProcessResult exit = kubectl.run("exec", "demo", "--", "sh", "-c", "exit 3");
    assertThat(exit.exitCode()).as("%s", exit).isEqualTo(3);

    Path apiserver = cluster.home().resolve("logs/apiserver-frames.jsonl");
    Path kubelet = cluster.home().resolve("logs/kubelet-node-1-frames.jsonl");
    // The trace's writers flush on their own thread: wait for the exit status's frames to arrive.
    Await.until(
        "the exit status in both traces",
        Duration.ofSeconds(10),
        () ->
            events(apiserver).stream().anyMatch(exitStatus(3))
                && events(kubelet).stream().anyMatch(exitStatus(3)));

    List<JsonNode> api = events(apiserver);
    List<JsonNode> node = events(kubelet);
    String session = sessionOf(api, data("client", "kubelet", "stdin", "hi\n"));
    assertThat(events(api, session)).anyMatch(data("client", "kubelet", "stdin", "hi\n"));
    assertThat(events(api, session)).anyMatch(data("kubelet", "client", "stdout", "hi\n"));
    assertThat(events(node, session))
        .as("the kubelet logs the same session under the same id")
        .anyMatch(data("apiserver", "runtime", "stdin", "hi\n"))
        .anyMatch(data("runtime", "apiserver", "stdout", "hi\n"));
    for (List<JsonNode> tier : List.of(api, node)) {
      assertThat(events(tier, session))
          .as("the stream set-up: a SYN_STREAM per stream, its type named")
          .filteredOn(e -> e.path("frame").asText().equals("SYN_STREAM"))
          .extracting(e -> e.path("streamType").asText())
          .contains("error", "stdin", "stdout");
      String exitSession = sessionOf(tier, exitStatus(3));
      assertThat(exitSession).isNotEqualTo(session);
      assertThat(events(tier, exitSession)).anyMatch(exitStatus(3));
    }
    Set<String> tiers = api.stream().map(e -> e.path("tier").asText()).collect(Collectors.toSet());
    assertThat(tiers).containsExactly("apiserver");
  }

  private static Predicate<JsonNode> data(String from, String to, String streamType, String text) {
    return e ->
        e.path("frame").asText().equals("DATA")
            && e.path("from").asText().equals(from)
            && e.path("to").asText().equals(to)
            && e.path("streamType").asText().equals(streamType)
            && e.path("text").asText().equals(text)
            && e.path("length").asInt() == text.length();
  }

  /** A DATA frame on the error stream with the v4 Status of a non-zero exit. */
  private static Predicate<JsonNode> exitStatus(int code) {
    return e ->
        e.path("frame").asText().equals("DATA")
            && e.path("streamType").asText().equals("error")
            && e.path("text").asText().contains("\"reason\":\"NonZeroExitCode\"")
            && e.path("text").asText().contains("\"message\":\"" + code + "\"");
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
