package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.OsProcesses;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.CliClient;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults survived: {@code kill -9} of one tier (apiserver, kubelet, runtime) during each kind of
 * session (exec, attach, port-forward with a connection open, {@code logs -f}), held by three
 * clients at once: stock kubectl 1.29 (SPDY), stock kubectl 1.33 (WebSocket) and kubehop's CLI.
 *
 * <p>For every case:
 *
 * <ul>
 *   <li>every client ends within 5 s of the kill, with the exit code and last line of stderr {@link
 *       #expected} states. exec and attach exit 1 with an error naming the hop that was lost, but
 *       for kubectl 1.29 when the apiserver dies. On SPDY the end of the connection reads as the
 *       end of the error stream, which client-go takes for success (kubernetes/kubectl#1208), so a
 *       tier that splices SPDY (the apiserver toward the kubelet, the kubelet toward the runtime)
 *       writes a Failure Status on the error stream, one DATA frame with FIN, before it closes the
 *       client's side: {@code connection to kubelet node-1 (…) lost after N.N s} from the
 *       apiserver, {@code connection to runtime (…) lost after N.N s} from the kubelet. kubectl
 *       1.29 prints it and exits 1. When the runtime dies, kubectl 1.33 and kubehop get the
 *       kubelet's Failure too, through the apiserver's translator, which wraps it as upstream's
 *       wraps any error of its SPDY session ({@code Internal error occurred: …}); when the kubelet
 *       dies, the translator names the kubelet itself. When the apiserver dies, kubectl 1.29's own
 *       connection ends and no tier is left to say anything: it still exits 0 with nothing on
 *       stderr, as upstream's does whichever tier dies.
 *   <li>port-forward: the forwarded connection is closed within 5 s, and every client exits 1 with
 *       {@code error: lost connection to pod} (kubectl 1.29 and later leave on a lost connection,
 *       and kubehop does the same).
 *   <li>{@code logs -f}: when the apiserver dies every client exits 1 (kubectl: {@code error:
 *       unexpected EOF}; kubehop: {@code error: closed}). When the kubelet or the runtime dies, the
 *       apiserver (kubelet) ends the chunked response cleanly, as upstream's does when its copy
 *       from the kubelet (from the log file) ends, and every client exits 0 with nothing on stderr.
 *   <li>the surviving tiers free the sessions within 5 s: none of them lists an open session in
 *       {@code /debug/sessions}, their threads outside bounded pools ({@link
 *       OsProcesses#unpooledThreads}) are exactly as many as before the sessions, and their open
 *       descriptors ({@link OsProcesses#descriptorsButUdp}: a name lookup's UDP socket comes and
 *       goes on its own) at most as many: the allowance over the baseline is 0; below it is
 *       allowed, as a survivor also loses its connections to the tier that died (the kubelet's
 *       watches of the apiserver, its gRPC channel to the runtime, the apiserver's pooled
 *       connection to the kubelet).
 *   <li>{@code bin/kubehop start TIER} brings the tier back, the other tiers keep their pids, and
 *       {@code kubectl exec demo -- echo ok} prints {@code ok} again.
 * </ul>
 *
 * <p>One cluster serves the whole matrix: each case brings back the tier it killed, and the next
 * one measures its own baseline. The three clients share a kill, so the matrix costs twelve
 * restarts, not thirty-six.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillTierIT {

  /** How long a client may take to end after the kill, and the survivors to free the session. */
  static final Duration END = Duration.ofSeconds(5);

  /** Setup on a loaded machine: a session coming up, a tier coming back. */
  static final Duration SETUP = Duration.ofSeconds(90);

  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Each survivor's descriptors before a case's sessions, to name what a failed case left. */
  private final Map<Tier, List<String>> baselineDescriptors = new LinkedHashMap<>();

  /** A tier, and its name in {@code $KUBEHOP_HOME/run} ({@code bin/kubehop start NAME}). */
  enum Tier {
    APISERVER("apiserver", "apiserver"),
    KUBELET("kubelet", "kubelet-node-1"),
    RUNTIME("runtime", "runtime-node-1");

    final String tier;
    final String run;

    Tier(String tier, String run) {
      this.tier = tier;
      this.run = run;
    }

    @Override
    public String toString() {
      return tier;
    }
  }

  enum Kind {
    EXEC("exec"),
    ATTACH("attach"),
    PORT_FORWARD("port-forward"),
    LOGS("logs -f");

    final String shown;

    Kind(String shown) {
      this.shown = shown;
    }

    @Override
    public String toString() {
      return shown;
    }
  }

  /** What a client shows: its exit code and the last line of its stderr (a regex; "" for none). */
  record Outcome(int exitCode, String lastErrorLine) {}

  static final String KUBECTL_SPDY = "kubectl 1.29";
  static final String KUBECTL_WEBSOCKET = "kubectl 1.33";
  static final String KUBEHOP = "kubehop";

  KubehopCluster cluster;
  Pods pods;
  Map<String, CliClient> clients;

  @BeforeAll
  void up() {
    cluster = KubehopCluster.up();
    pods = new Pods(cluster);
    pods.runBusybox("demo", "sleep", "3600");
    pods.runBusybox(
        "chatty", "sh", "-c", "i=0; while true; do echo line-$i; i=$((i+1)); sleep 0.2; done");
    pods.startWeb();
    clients = new LinkedHashMap<>();
    clients.put(KUBECTL_SPDY, cluster.kubectl("1.29"));
    clients.put(KUBECTL_WEBSOCKET, cluster.kubectl("1.33"));
    clients.put(KUBEHOP, cluster.kubehopCli(null));
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Stream<Arguments> matrix() {
    return Stream.of(Tier.values())
        .flatMap(tier -> Stream.of(Kind.values()).map(kind -> Arguments.of(tier, kind)));
  }

  /** The matrix's answers: what each client shows when {@code tier} dies under {@code kind}. */
  Outcome expected(Tier tier, Kind kind, String client) {
    String kubeletLost =
        "error: connection to kubelet node-1 \\(127\\.0\\.1\\.1:"
            + cluster.kubeletPort()
            + "\\) lost after \\d+\\.\\d s";
    String runtimeLost = "connection to runtime \\(127\\.0\\.0\\.1:\\d+\\) lost after \\d+\\.\\d s";
    return switch (kind) {
      case EXEC, ATTACH -> {
        if (tier == Tier.RUNTIME) {
          // The kubelet's Failure, on the error stream; the apiserver's translator wraps it as
          // upstream's wraps any error of its SPDY session.
          yield new Outcome(
              1,
              client.equals(KUBECTL_SPDY)
                  ? "error: " + runtimeLost
                  : "error: Internal error occurred: " + runtimeLost);
        }
        if (client.equals(KUBECTL_SPDY) && tier == Tier.APISERVER) {
          yield new Outcome(0, "");
        }
        if (tier == Tier.APISERVER) {
          yield client.equals(KUBEHOP)
              ? new Outcome(
                  1,
                  "error: connection to apiserver 127\\.0\\.0\\.1:"
                      + cluster.apiserverPort()
                      + " lost after \\d+\\.\\d s")
              : new Outcome(
                  1,
                  Pattern.quote(
                      "error: error reading from error stream: next reader: websocket: close 1006"
                          + " (abnormal closure): unexpected EOF"));
        }
        yield new Outcome(1, kubeletLost);
      }
      case PORT_FORWARD -> new Outcome(1, "error: lost connection to pod");
      case LOGS -> {
        if (tier != Tier.APISERVER) {
          yield new Outcome(0, "");
        }
        yield new Outcome(1, client.equals(KUBEHOP) ? "error: closed" : "error: unexpected EOF");
      }
    };
  }

  @ParameterizedTest(name = "kill -9 {0} during {1}")
  @MethodSource("matrix")
  void everyClientEndsTheSurvivorsFreeTheSessionAndTheTierComesBack(Tier tier, Kind kind)
      throws Exception {
    List<Tier> survivors = Stream.of(Tier.values()).filter(t -> t != tier).toList();
    ensureServing();
    Map<Tier, long[]> baseline = new LinkedHashMap<>();
    for (Tier t : survivors) {
      long pid = cluster.pid(t.run);
      baseline.put(
          t, new long[] {OsProcesses.descriptorsButUdp(pid), OsProcesses.unpooledThreads(pid)});
      baselineDescriptors.put(t, OsProcesses.describeDescriptors(pid));
    }

    Map<String, Session> sessions = new LinkedHashMap<>();
    try {
      // All three at once, then each proven up: three client starts cost one.
      clients.forEach((name, client) -> sessions.put(name, start(kind, client)));
      for (Map.Entry<String, Session> s : sessions.entrySet()) {
        try {
          s.setValue(awaitUp(kind, s.getValue()));
        } catch (AssertionError e) {
          throw new AssertionError(s.getKey() + ": " + e.getMessage(), e);
        }
      }

      ProcessHandle killed = ProcessHandle.of(cluster.pid(tier.run)).orElseThrow();
      killed.destroyForcibly(); // SIGKILL
      long end = System.nanoTime() + END.toNanos();

      SoftAssertions softly = new SoftAssertions();
      for (Map.Entry<String, Session> s : sessions.entrySet()) {
        String client = s.getKey();
        Session session = s.getValue();
        RunningCommand command = session.command();
        if (session.connection() != null) {
          softly
              .assertThat(closedBefore(session.connection(), end))
              .as("%s: the forwarded connection closed within %s of the kill", client, END)
              .isTrue();
        }
        boolean exited = command.awaitExit(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
        softly.assertThat(exited).as("%s ends within %s of the kill", client, END).isTrue();
        if (!exited) {
          continue;
        }
        Outcome want = expected(tier, kind, client);
        String stderr = command.stderr();
        softly
            .assertThat(command.process().exitValue())
            .as("%s's exit code; stderr: %s", client, stderr)
            .isEqualTo(want.exitCode());
        if (want.lastErrorLine().isEmpty()) {
          softly.assertThat(stderr).as("%s's stderr", client).isEqualTo(expectedBanner(kind));
        } else {
          softly
              .assertThat(lastLine(stderr))
              .as("%s's last line of stderr; all of it: %s", client, stderr)
              .matches(want.lastErrorLine());
        }
      }
      softly.assertAll();

      awaitFreed(survivors, baseline);
    } finally {
      for (Session s : sessions.values()) {
        s.close();
      }
    }

    Map<Tier, Long> others = new LinkedHashMap<>();
    survivors.forEach(t -> others.put(t, cluster.pid(t.run)));
    bringBack(tier);
    survivors.forEach(
        t ->
            assertThat(cluster.pid(t.run))
                .as("%s was not restarted", t)
                .isEqualTo(others.get(t))
                .matches(KillTierIT::alive));
  }

  /**
   * A killed runtime's containers: their processes outlive it (each leads a session of its own and
   * is reparented), the node goes NotReady while the pod's status stays as it was (nothing can be
   * observed), and the restarted runtime kills what its records say it had started, before it
   * serves (they used to leak, reparented to init, one set per kill). The kubelet then finds the
   * sandbox gone, runs a new one and starts the container again, its restart count one more, as a
   * real kubelet does for a runtime that lost its containers (it counts the log files, upstream's
   * calcRestartCountByLogDir); restart policy Never does not keep it down, as upstream does not
   * either for a pod whose sandbox vanished without a trace.
   */
  @Test
  void aKilledRuntimesContainersAreEndedByTheNextOneAndStartedAgainCountingARestart() {
    ensureServing();
    pods.runBusybox("victim", "sleep", "3601");
    String before = pods.firstContainerStatus("victim").path("containerID").asText();
    long runtime = cluster.pid(Tier.RUNTIME.run);
    List<ProcessHandle> sleeps = OsProcesses.descendantsRunning(runtime, "sleep 3601");
    assertThat(sleeps).hasSize(1);
    ProcessHandle old = sleeps.get(0);

    ProcessHandle.of(runtime).orElseThrow().destroyForcibly();
    Await.until("the runtime gone", Duration.ofSeconds(10), () -> !alive(runtime));
    assertThat(old.isAlive()).as("the container's process outlives the runtime").isTrue();
    assertThat(old.parent().map(ProcessHandle::pid)).isNotEqualTo(Optional.of(runtime));
    Await.until(
        "node-1 NotReady while its runtime is down",
        SETUP,
        () -> !"True".equals(pods.nodeReady("node-1")));
    JsonNode stale = pods.firstContainerStatus("victim");
    assertThat(stale.path("containerID").asText()).isEqualTo(before);
    assertThat(stale.path("restartCount").asInt()).isZero();

    ProcessResult start = cluster.kubehop("start", Tier.RUNTIME.run);
    assertThat(start.exitCode()).as(start.toString()).isZero();
    // The new runtime ends it before it serves (a JVM's start on a loaded machine).
    Await.until("the old container's process ended", SETUP, () -> !old.isAlive());
    Await.until(
        () -> "victim started again: " + pods.firstContainerStatus("victim"),
        SETUP,
        () -> {
          JsonNode now = pods.firstContainerStatus("victim");
          return !now.path("containerID").asText().equals(before)
              && now.path("state").has("running");
        });
    JsonNode again = pods.firstContainerStatus("victim");
    assertThat(again.path("restartCount").asInt()).as(again.toString()).isEqualTo(1);
    assertThat(pods.pod("victim").orElseThrow().path("status").path("phase").asText())
        .isEqualTo("Running");
    assertThat(OsProcesses.descendantsRunning(cluster.pid(Tier.RUNTIME.run), "sleep 3601"))
        .hasSize(1);
    Await.until("node-1 Ready again", SETUP, () -> "True".equals(pods.nodeReady("node-1")));
    assertThat(clients.get(KUBECTL_WEBSOCKET).run("exec", "victim", "--", "echo", "ok").stdout())
        .isEqualTo("ok\n");
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** kubectl attach's hint, on stderr before anything goes wrong. */
  private static String expectedBanner(Kind kind) {
    return kind == Kind.ATTACH ? "If you don't see a command prompt, try pressing enter.\n" : "";
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  /** A client's session: the running client, and for a port-forward the connection it carries. */
  record Session(RunningCommand command, Socket connection) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      command.close();
      if (connection != null) {
        connection.close();
      }
    }
  }

  /** Starts {@code kind} with {@code client}. */
  private static Session start(Kind kind, CliClient client) {
    RunningCommand command =
        switch (kind) {
          case EXEC -> client.start("exec", "-i", "demo", "--", "cat");
          case ATTACH -> client.start("attach", "chatty");
          case LOGS -> client.start("logs", "-f", "chatty");
          case PORT_FORWARD -> client.start("port-forward", "pod/web", ":80");
        };
    return new Session(command, null);
  }

  /**
   * {@code session} once proven to carry bytes end to end; a port-forward's with the connection
   * that carried them.
   */
  private static Session awaitUp(Kind kind, Session session) {
    RunningCommand command = session.command();
    switch (kind) {
      case EXEC -> {
        try {
          OutputStream stdin = command.process().getOutputStream();
          stdin.write("ping\n".getBytes(StandardCharsets.US_ASCII));
          stdin.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        command.awaitStdout("ping", SETUP);
        return session;
      }
      case ATTACH, LOGS -> {
        command.awaitStdout("line-", SETUP);
        return session;
      }
      case PORT_FORWARD -> {
        String out = command.awaitStdout("Forwarding from 127.0.0.1:", SETUP);
        Matcher port = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+)").matcher(out);
        assertThat(port.find()).as(out).isTrue();
        int local = Integer.parseInt(port.group(1));
        Socket connection =
            Await.value(
                "a page from web through the forward; its stderr: " + command.stderr(),
                SETUP,
                () -> welcomePage(local));
        return new Session(command, connection);
      }
      default -> throw new AssertionError(kind);
    }
  }

  /**
   * A keep-alive connection through the forward on {@code port} that has carried one GET of the
   * welcome page; null (try again) while the pod does not answer yet.
   */
  private static Socket welcomePage(int port) {
    Socket socket = null;
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      StringBuilder page = new StringBuilder();
      byte[] buffer = new byte[4096];
      while (!page.toString().contains("</html>")) {
        int n = in.read(buffer);
        if (n < 0) {
          socket.close();
          return null;
        }
        page.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
      assertThat(page.toString()).startsWith("HTTP/1.1 200 OK\r\n");
      return socket;
    } catch (IOException e) {
      closeQuietly(socket);
      return null;
    }
  }

  private static void closeQuietly(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already broken
      }
    }
  }

  /** Whether the peer closes (or resets) {@code connection} before {@code end} (nanoTime). */
  private static boolean closedBefore(Socket connection, long end) throws IOException {
    try {
      connection.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
      return connection.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException reset) {
      return true;
    }
  }

  /**
   * Waits {@link #END} for each survivor to hold no open session, no more descriptors than before
   * and exactly its threads of before.
   */
  private void awaitFreed(List<Tier> survivors, Map<Tier, long[]> baseline) {
    for (Tier t : survivors) {
      long pid = cluster.pid(t.run);
      long[] before = baseline.get(t);
      Await.until(
          () ->
              t
                  + " to free the sessions: "
                  + openSessions(t)
                  + " open; fds but UDP sockets "
                  + OsProcesses.descriptorsButUdp(pid)
                  + " (before: "
                  + before[0]
                  + "), unpooled threads "
                  + OsProcesses.unpooledThreads(pid)
                  + " (before: "
                  + before[1]
                  + "); descriptors not there before: "
                  + added(baselineDescriptors.get(t), OsProcesses.describeDescriptors(pid)),
          END,
          () ->
              openSessions(t).isEmpty()
                  && OsProcesses.descriptorsButUdp(pid) <= before[0]
                  && OsProcesses.unpooledThreads(pid) == before[1]);
    }
  }

  /** What {@code now} holds beyond {@code before}, as multisets (two pipes are two entries). */
  private static List<String> added(List<String> before, List<String> now) {
    List<String> extra = new ArrayList<>(now);
    before.forEach(extra::remove);
    return extra;
  }

  private void awaitNoOpenSession(List<Tier> tiers, Duration deadline) {
    for (Tier t : tiers) {
      Await.until(
          () -> t + " to hold no open session: " + openSessions(t),
          deadline,
          () -> openSessions(t).isEmpty());
    }
  }

  /** The ids and kinds of the sessions {@code tier} reports open in {@code /debug/sessions}. */
  private List<String> openSessions(Tier tier) {
    List<String> open = new ArrayList<>();
    for (JsonNode s : debugSessions(tier).path("sessions")) {
      if (!s.path("state").asText().equals("closed")) {
        open.add(s.path("id").asText() + " " + s.path("kind").asText());
      }
    }
    return open;
  }

  private JsonNode debugSessions(Tier tier) {
    String url = cluster.debugBase(tier.tier) + "/debug/sessions";
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
      return Pods.tree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * {@code bin/kubehop start TIER} once the killed process is gone, then waits until a new exec
   * prints {@code ok} and the pods serve again (a killed runtime's pods are started anew).
   */
  private void bringBack(Tier tier) {
    Await.until(
        "the killed " + tier + " to be gone",
        Duration.ofSeconds(10),
        () -> !alive(cluster.pid(tier.run)));
    ProcessResult start = cluster.kubehop("start", tier.run);
    assertThat(start.exitCode()).as(start.toString()).isZero();
    assertThat(start.stdout())
        .isEqualTo("kubehop: started " + tier.run + " (pid " + cluster.pid(tier.run) + ")\n");
    CliClient kubectl = clients.get(KUBECTL_WEBSOCKET);
    ProcessResult[] last = new ProcessResult[1];
    Await.until(
        () -> "kubectl exec demo -- echo ok after restarting " + tier + "; last: " + last[0],
        SETUP,
        () -> {
          last[0] = kubectl.run("exec", "demo", "--", "echo", "ok");
          return last[0].exitCode() == 0;
        });
    assertThat(last[0].stdout()).isEqualTo("ok\n");
    assertThat(last[0].stderr()).isEmpty();
  }

  /**
   * Every tier runs (a case that failed may have left one down), every pod answers an exec (a
   * killed runtime's pods are started anew), and no tier holds an open session.
   */
  private void ensureServing() {
    for (Tier t : Tier.values()) {
      if (!alive(cluster.pid(t.run))) {
        bringBack(t);
      }
    }
    CliClient kubectl = clients.get(KUBECTL_WEBSOCKET);
    for (String pod : List.of("demo", "chatty", "web")) {
      Await.until(
          pod + " answers an exec",
          SETUP,
          () -> kubectl.run("exec", pod, "--", "true").exitCode() == 0);
    }
    awaitNoOpenSession(List.of(Tier.values()), SETUP);
  }
}
