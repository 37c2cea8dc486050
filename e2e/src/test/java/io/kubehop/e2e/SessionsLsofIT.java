package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Lsof;
import io.kubehop.e2e.support.Pods;
import io.kubehop.e2e.support.PtySession;
import io.kubehop.e2e.support.Ss;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kubehop trace -o json} and each tier's {@code GET /debug/sessions} against the kernel:
 * during a {@code kubectl exec -it} session, for every tier process, the {@code local->remote}
 * pairs reported for the session are exactly the ESTABLISHED TCP connections {@code lsof -Pn -p
 * <pid>} shows new since before it, in proxy mode, in redirect mode and with the WebSocket
 * translated at the kubelet. The only new connections no tier reports are kubectl's pooled
 * connection of its pod GET, idle at the apiserver, and this test's own to the debug endpoints:
 * lsof on kubectl and on the test shows their other ends.
 */
class SessionsLsofIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static Stream<Arguments> modes() {
    return Stream.of(
        Arguments.of("proxy", List.of()),
        Arguments.of("redirect", List.of("--redirect-container-streaming")),
        Arguments.of("kubelet-translation", List.of("--websocket-translation", "kubelet")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void everyTierReportsExactlyTheSocketsTheKernelShows(String mode, List<String> flags)
      throws Exception {
    try (KubehopCluster cluster = KubehopCluster.up(flags.toArray(String[]::new))) {
      new Pods(cluster).runBusybox("demo", "sleep", "3600");
      Map<String, String> bases = bases(cluster);
      Map<String, Long> pids = tierPids(cluster);
      Map<String, List<String>> before = established(pids);

      Kubectl kubectl = cluster.kubectl("1.33");
      try (PtySession pty =
          PtySession.start(
              kubectl.command("exec", "-it", "demo", "--", "sh"), kubectl.environment(), 24, 80)) {
        pty.type("echo session-$((6*7))\r");
        pty.await("session-42", 0, Duration.ofSeconds(30));

        String id = openSessionId(bases.get("apiserver"));
        assertTraceIsTheKernels(cluster, mode, id, pids, bases, before, pty.pid());
        assertTierPicture(mode, bases, id, cluster);
        assertBytesAreTheKernels(mode, bases, id, pty);

        pty.type("exit\r");
        assertThat(pty.waitFor(Duration.ofSeconds(30))).isZero();
        for (String tier : pids.keySet()) {
          if (mode.equals("redirect") && tier.equals("kubelet")) {
            assertThat(sessionOrNull(bases.get(tier), id)).isNull();
            continue;
          }
          Await.until(
              tier + " to report the session closed",
              () -> "closed".equals(session(bases.get(tier), id).path("state").asText()));
        }
        JsonNode ended = session(bases.get("runtime"), id).path("ended");
        assertThat(ended.path("first").asText()).isEqualTo("process");
        assertThat(ended.path("how").asText()).isEqualTo("exited");
        assertThat(ended.path("exitCode").asInt(-1)).isZero();
      }
    }
  }

  /**
   * For every tier process: the pairs {@code kubehop trace -o json} reports for session {@code id}
   * are the tier's own report, are new in lsof since {@code before}, and the only other new
   * connections are the client's ({@code clientPid}) and this test's (their other ends are theirs).
   */
  private static void assertTraceIsTheKernels(
      KubehopCluster cluster,
      String mode,
      String id,
      Map<String, Long> pids,
      Map<String, String> bases,
      Map<String, List<String>> before,
      long clientPid)
      throws IOException {
    JsonNode traced = trace(cluster, id);
    for (Map.Entry<String, Long> tier : pids.entrySet()) {
      Set<String> reported = pairs(traced, tier.getValue());
      assertThat(reported)
          .as("%s (%s): kubehop trace reports what the tier itself reports", tier.getKey(), mode)
          .isEqualTo(pairs(bases.get(tier.getKey()), id));
      List<String> added = new ArrayList<>(Lsof.established(tier.getValue()));
      before.get(tier.getKey()).forEach(added::remove);
      // Connections that are not the session's: the client's pooled connection of its pod GET,
      // and this test's own pooled connections to the debug endpoints.
      Set<String> bystanders = new HashSet<>(Lsof.established(clientPid));
      bystanders.addAll(Lsof.established(ProcessHandle.current().pid()));
      Set<String> unreported = new HashSet<>(added);
      unreported.removeAll(reported);
      assertThat(new HashSet<>(added))
          .as("%s (%s): what it reports is what the kernel shows", tier.getKey(), mode)
          .containsAll(reported);
      assertThat(unreported)
          .as(
              "%s (%s): new connections it does not report, beyond the client's and the test's",
              tier.getKey(), mode)
          .allMatch(c -> bystanders.contains(mirror(c)));
    }
  }

  /**
   * Each socket's bytes in and out, as its tier reports them, move exactly as the kernel's counts
   * ({@code ss -ti} {@code bytes_received}, {@code bytes_sent}) while the session carries about 33
   * kB of output: compared between two quiet moments, as the tiers count from the upgrade and the
   * kernel from the connect.
   */
  private static void assertBytesAreTheKernels(
      String mode, Map<String, String> bases, String id, PtySession pty) {
    Quiet before = quiet(bases, id);
    pty.type("yes 0123456789 | head -n 3000; echo done-$((6*7))\r");
    pty.await("done-42", 0, Duration.ofSeconds(30));
    Quiet after = quiet(bases, id);
    assertThat(after.traced().keySet()).isEqualTo(before.traced().keySet());
    for (Map.Entry<String, long[]> socket : after.traced().entrySet()) {
      String key = socket.getKey();
      long[] was = before.traced().get(key);
      Ss.Counts kernelWas = before.kernel().get(key);
      Ss.Counts kernel = after.kernel().get(key);
      assertThat(socket.getValue()[0] - was[0])
          .as("%s (%s): bytes in", key, mode)
          .isEqualTo(kernel.received() - kernelWas.received());
      assertThat(socket.getValue()[1] - was[1])
          .as("%s (%s): bytes out", key, mode)
          .isEqualTo(kernel.sent() - kernelWas.sent());
    }
    JsonNode toClient = session(bases.get("apiserver"), id).path("hops").get(0);
    String key = toClient.path("local").asText() + "->" + toClient.path("remote").asText();
    assertThat(after.traced().get(key)[1] - before.traced().get(key)[1])
        .as("the apiserver sent the client at least the output")
        .isGreaterThanOrEqualTo(33_000);
  }

  /** The tiers' byte counts per socket and the kernel's, at one moment when nothing moved. */
  private record Quiet(Map<String, long[]> traced, Map<String, Ss.Counts> kernel) {}

  /**
   * A moment when the session is quiet: the tiers' counts are the same just before and just after
   * the kernel's, and the kernel holds nothing queued on those sockets (all read, all
   * acknowledged), so both count the same bytes.
   */
  private static Quiet quiet(Map<String, String> bases, String id) {
    AtomicReference<Quiet> found = new AtomicReference<>();
    Await.until(
        "a quiet moment on the session's sockets",
        () -> {
          Map<String, long[]> first = tracedBytes(bases, id);
          Map<String, Ss.Counts> kernel = Ss.established();
          Map<String, long[]> second = tracedBytes(bases, id);
          boolean still =
              first.keySet().equals(second.keySet())
                  && first.keySet().stream()
                      .allMatch(k -> Arrays.equals(first.get(k), second.get(k)));
          boolean drained =
              first.keySet().stream()
                  .allMatch(k -> kernel.containsKey(k) && kernel.get(k).queued() == 0);
          if (still && drained) {
            found.set(new Quiet(first, kernel));
            return true;
          }
          return false;
        });
    return found.get();
  }

  /** Every socket the tiers report for session {@code id}: bytes in and out. */
  private static Map<String, long[]> tracedBytes(Map<String, String> bases, String id) {
    Map<String, long[]> out = new TreeMap<>();
    for (String base : bases.values()) {
      JsonNode s = sessionOrNull(base, id);
      if (s == null) {
        continue;
      }
      for (JsonNode hop : s.path("hops")) {
        assertThat(hop.has("bytesIn")).as("%s counts bytes: %s", base, hop).isTrue();
        out.put(
            hop.path("local").asText() + "->" + hop.path("remote").asText(),
            new long[] {hop.path("bytesIn").asLong(), hop.path("bytesOut").asLong()});
      }
    }
    return out;
  }

  /**
   * A port-forward with two connections open at once: each tier's sockets are the kernel's, and the
   * runtime reports one connection into the pod per forwarded connection.
   */
  @Test
  void aPortForwardShowsEachConnectionIntoThePod() throws Exception {
    try (KubehopCluster cluster = KubehopCluster.up()) {
      new Pods(cluster).startWeb();
      Map<String, String> bases = bases(cluster);
      Map<String, Long> pids = tierPids(cluster);
      Map<String, List<String>> before = established(pids);
      String podIp =
          new Pods(cluster).pod("web").orElseThrow().path("status").path("podIP").asText();

      try (RunningCommand forward =
          cluster.kubectl("1.33").start("port-forward", "pod/web", ":80")) {
        String line = forward.awaitStdout("Forwarding from 127.0.0.1:", Duration.ofSeconds(30));
        Matcher port = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+)").matcher(line);
        assertThat(port.find()).as(line).isTrue();
        int local = Integer.parseInt(port.group(1));
        try (Socket first = new Socket("127.0.0.1", local);
            Socket second = new Socket("127.0.0.1", local)) {
          Await.until(
              "the runtime to report two connections into the pod",
              Duration.ofSeconds(20),
              () -> podHops(bases.get("runtime")).size() == 2);
          String id = openSessionId(bases.get("apiserver"));
          assertTraceIsTheKernels(
              cluster, "port-forward", id, pids, bases, before, forward.process().pid());
          JsonNode traced = trace(cluster, id);
          assertThat(traced.path("kind").asText()).isEqualTo("portforward");
          List<String> intoPod = new ArrayList<>();
          for (JsonNode hop : traced.path("hops")) {
            if (hop.path("peer").asText().equals("pod")) {
              intoPod.add(hop.path("remote").asText());
            }
          }
          assertThat(intoPod).containsExactly(podIp + ":80", podIp + ":80");
          assertThat(traced.path("hops").get(0).path("protocol").asText())
              .isEqualTo("spdy/3.1 portforward.k8s.io tunnelled in websocket");
        }
      }
    }
  }

  /**
   * {@code kubectl logs -f}: a session too, held by the apiserver (the client's connection and its
   * own to the kubelet) and the kubelet (the apiserver's connection; its other end is a file).
   */
  @Test
  void aFollowedLogIsASessionOfTheApiserverAndTheKubelet() throws Exception {
    try (KubehopCluster cluster = KubehopCluster.up()) {
      new Pods(cluster)
          .runBusybox(
              "chatty",
              "sh",
              "-c",
              "i=0; while true; do echo line-$i; i=$((i+1)); sleep 0.2; done");
      Map<String, String> bases = bases(cluster);
      Map<String, Long> pids = tierPids(cluster);
      Map<String, List<String>> before = established(pids);
      String id;
      try (RunningCommand logs = cluster.kubectl("1.33").start("logs", "-f", "chatty")) {
        logs.awaitStdout("line-3", Duration.ofSeconds(30));
        id = openSessionId(bases.get("apiserver"));
        assertTraceIsTheKernels(cluster, "logs -f", id, pids, bases, before, logs.process().pid());
        JsonNode traced = trace(cluster, id);
        assertThat(traced.path("kind").asText()).isEqualTo("log");
        assertThat(traced.path("container").asText()).isEqualTo("chatty");
        assertThat(traced.path("hops")).hasSize(3);
        assertThat(traced.path("hops").get(0).path("bytesOut").asLong()).isPositive();
      }
      Await.until(
          "the apiserver to record the followed log closed by the client",
          () -> {
            JsonNode s = session(bases.get("apiserver"), id);
            return "closed".equals(s.path("state").asText())
                && "client".equals(s.path("ended").path("first").asText());
          });
    }
  }

  /** The runtime's open connections into pods, over all its sessions. */
  private static List<String> podHops(String runtime) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : get(runtime + "/debug/sessions").path("sessions")) {
      for (JsonNode hop : s.path("hops")) {
        if (hop.path("peer").asText().equals("pod")) {
          out.add(hop.path("remote").asText());
        }
      }
    }
    return out;
  }

  /** Who holds what, as KEP-1558 says: the kubelet holds both halves only in proxy mode. */
  private static void assertTierPicture(
      String mode, Map<String, String> bases, String id, KubehopCluster cluster) {
    JsonNode kubelet = sessionOrNull(bases.get("kubelet"), id);
    JsonNode apiserver = session(bases.get("apiserver"), id);
    JsonNode runtime = session(bases.get("runtime"), id);
    assertThat(runtime.path("process").path("argv").get(0).asText()).isEqualTo("sh");
    assertThat(runtime.path("process").path("tty").asBoolean()).isTrue();
    assertThat(apiserver.path("hops").get(0).path("protocol").asText())
        .isEqualTo("websocket v5.channel.k8s.io");
    switch (mode) {
      case "redirect" -> {
        assertThat(kubelet).as("the kubelet holds nothing in redirect mode").isNull();
        assertThat(apiserver.path("hops").get(1).path("peer").asText()).isEqualTo("runtime");
        assertThat(apiserver.path("hops").get(1).path("remote").asText())
            .isEqualTo(runtime.path("hops").get(0).path("local").asText());
      }
      case "kubelet-translation" -> {
        assertThat(apiserver.path("hops").get(1).path("protocol").asText())
            .isEqualTo("websocket v5.channel.k8s.io");
        assertThat(kubelet.path("hops").get(1).path("protocol").asText()).startsWith("spdy/3.1 v");
      }
      default -> {
        assertThat(apiserver.path("hops").get(1).path("protocol").asText())
            .startsWith("spdy/3.1 v");
        assertThat(kubelet.path("hops").get(0).path("local").asText())
            .isEqualTo("127.0.1.1:" + cluster.kubeletPort());
        assertThat(kubelet.path("hops").get(1).path("peer").asText()).isEqualTo("runtime");
      }
    }
  }

  /** The tier processes, apiserver first. */
  private static Map<String, Long> tierPids(KubehopCluster cluster) {
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("apiserver", cluster.pid("apiserver"));
    pids.put("kubelet", cluster.pid("kubelet-node-1"));
    pids.put("runtime", cluster.pid("runtime-node-1"));
    return pids;
  }

  /** Each tier's ESTABLISHED connections now. */
  private static Map<String, List<String>> established(Map<String, Long> pids) {
    Map<String, List<String>> now = new LinkedHashMap<>();
    pids.forEach((tier, pid) -> now.put(tier, Lsof.established(pid)));
    return now;
  }

  private static String mirror(String connection) {
    String[] ends = connection.split("->");
    return ends[1] + "->" + ends[0];
  }

  /** Where each tier serves {@code /debug/sessions}. */
  static Map<String, String> bases(KubehopCluster cluster) throws IOException {
    Matcher m =
        Pattern.compile("streaming server listening on (http://\\S+)")
            .matcher(Files.readString(cluster.home().resolve("logs/runtime-node-1.log")));
    assertThat(m.find()).as("the runtime logs its streaming server's address").isTrue();
    return Map.of(
        "apiserver", "http://127.0.0.1:" + cluster.apiserverPort(),
        "kubelet", "http://127.0.1.1:" + cluster.kubeletPort(),
        "runtime", m.group(1));
  }

  static JsonNode get(String url) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 404) {
        return null;
      }
      assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String openSessionId(String apiserver) {
    List<String> open = new ArrayList<>();
    for (JsonNode s : get(apiserver + "/debug/sessions").path("sessions")) {
      if (s.path("state").asText().equals("open")) {
        open.add(s.path("id").asText());
      }
    }
    assertThat(open).as("open sessions at the apiserver").hasSize(1);
    return open.get(0);
  }

  private static JsonNode sessionOrNull(String base, String id) {
    return get(base + "/debug/sessions?id=" + id);
  }

  private static JsonNode session(String base, String id) {
    JsonNode s = sessionOrNull(base, id);
    assertThat(s).as("session %s at %s", id, base).isNotNull();
    return s;
  }

  /** {@code kubehop trace -o json SESSION}: the one merged session. */
  private static JsonNode trace(KubehopCluster cluster, String id) throws IOException {
    ProcessResult r = cluster.kubehop("trace", "-o", "json", id);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode sessions = JSON.readTree(r.stdout()).path("sessions");
    assertThat(sessions).as(r.stdout()).hasSize(1);
    return sessions.get(0);
  }

  /** The {@code local->remote} pairs of the tier process {@code pid} in a traced session. */
  private static Set<String> pairs(JsonNode traced, long pid) {
    Set<String> out = new HashSet<>();
    for (JsonNode hop : traced.path("hops")) {
      if (hop.path("pid").asLong() == pid) {
        out.add(hop.path("local").asText() + "->" + hop.path("remote").asText());
      }
    }
    return out;
  }

  /** The {@code local->remote} pairs a tier reports for session {@code id}; none when unknown. */
  private static Set<String> pairs(String base, String id) {
    JsonNode s = sessionOrNull(base, id);
    Set<String> out = new HashSet<>();
    if (s != null) {
      for (JsonNode hop : s.path("hops")) {
        out.add(hop.path("local").asText() + "->" + hop.path("remote").asText());
      }
    }
    return out;
  }
}
