package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.e2e.support.ClusterTls;
import io.kubehop.e2e.support.EchoServer;
import io.kubehop.e2e.support.EtcdHistory;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Commands;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import io.kubehop.testkit.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/kubehop up --apiservers 2}: an etcd of its own, two apiservers on it, HAProxy in TCP
 * mode in front on the usual port, TLS passed through. Stock kubectl (1.29 and 1.33) works through
 * the balancer: get, apply, exec, delete, {@code get -w} (every write of a pod once, as etcd
 * recorded it), port-forward (bytes echoed exactly) and {@code logs -f} (lines as they are printed,
 * exit 0 with the container); each apiserver sees what the other wrote at once (one etcd, one watch
 * each); watches held across an etcd restart go on and miss and repeat nothing; {@code kill -9} of
 * the apiserver that leads ends the exec session it held (non-zero exit) and not the one the other
 * holds, leaves the cluster working, and the other takes over scheduling within 10 s. That one runs
 * last. Under {@code CI=true} a missing etcd, haproxy or kubectl fails the class (it never skips).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeveralApiserversIT {

  private static final Pattern ACQUIRED =
      Pattern.compile("acquired lease kube-system/kube-scheduler as (apiserver-\\d+)");

  private KubehopCluster cluster;
  private Pods pods;
  private HttpClient http;
  private String token;

  @BeforeAll
  void up() {
    Tools.onPath("etcd");
    Kubectl.binary("1.29");
    Kubectl.binary("1.33");
    Path haproxy = Path.of("/usr/sbin/haproxy");
    if (!Files.isExecutable(haproxy)) {
      Tools.onPath("haproxy");
    }
    cluster = KubehopCluster.upSecure("--apiservers", "2");
    pods = new Pods(cluster);
    http = ClusterTls.client(cluster.pki().resolve("ca.crt"));
    token = ClusterTls.token(cluster.pki().resolve("tokens.csv"), "kubehop-admin");
  }

  @AfterAll
  void down() {
    sessionsOpened.forEach(RunningCommand::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Both apiservers' logs, one after the other. */
  private String apiserverLogs() {
    try {
      return Files.readString(cluster.home().resolve("logs/apiserver-1.log"))
          + Files.readString(cluster.home().resolve("logs/apiserver-2.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** apiserver-N's own URL. */
  private URI apiserver(int n) {
    return cluster.apiserverUrl(n);
  }

  private HttpRequest.Builder request(URI base, String path) {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token);
  }

  private String haproxyLog() {
    try {
      return Files.readString(cluster.home().resolve("logs/haproxy.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ProcessResult ok(ProcessResult r) {
    assertThat(r.exitCode()).as("%s", r).isZero();
    return r;
  }

  @Order(1)
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.29", "1.33"})
  void kubectlGetsAppliesExecsAndDeletesThroughTheBalancer(String minor) throws Exception {
    Kubectl kubectl = cluster.kubectl(minor);
    assertThat(
            ok(kubectl.run(
                    "config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}"))
                .stdout())
        .isEqualTo("https://127.0.0.1:" + cluster.apiserverPort());
    String name = "applied-" + minor.replace('.', '-');
    Path manifest = cluster.home().resolve(name + ".yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          containers:
          - name: main
            image: busybox
            args: ["sleep", "3600"]
        """
            .formatted(name));
    assertThat(ok(kubectl.run("apply", "-f", manifest.toString())).stdout())
        .isEqualTo("pod/" + name + " created\n");
    pods.awaitRunning(name);
    assertThat(ok(kubectl.run("get", "pods")).stdout())
        .containsPattern("(?m)^" + name + "\\s+1/1\\s+Running");
    assertThat(ok(kubectl.run("get", "nodes")).stdout()).containsPattern("(?m)^node-1\\s+Ready");
    assertThat(ok(kubectl.run("exec", name, "--", "echo", "hi from " + minor)).stdout())
        .isEqualTo("hi from " + minor + "\n");
    ProcessResult exit = kubectl.run("exec", name, "--", "sh", "-c", "exit 42");
    assertThat(exit.exitCode()).as("%s", exit).isEqualTo(42);
    // --grace-period=1: sleep as PID 1 ignores SIGTERM, and this test is not about the grace period
    ok(kubectl.run("delete", "pod", name, "--grace-period=1"));
    assertThat(pods.pod(name)).isEmpty();
    // the balancer spread the connections (kubectl's, the kubelet's) over both apiservers
    assertThat(haproxyLog()).contains("apiservers/apiserver-1").contains("apiservers/apiserver-2");
  }

  @Order(2)
  @Test
  void aPodCreatedThroughOneApiserverIsSeenByAWatchOnTheOtherWithinOneSecond() throws Exception {
    URI a = apiserver(1);
    URI b = apiserver(2);
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    HttpResponse<Stream<String>> watch =
        http.send(
            HttpRequest.newBuilder(b.resolve("/api/v1/namespaces/default/pods?watch=true"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(watch.statusCode()).isEqualTo(200);
    Thread reader = new Thread(() -> watch.body().forEach(events::add), "watch-on-apiserver-2");
    reader.setDaemon(true);
    reader.start();
    try {
      String pod =
          """
          {"apiVersion":"v1","kind":"Pod","metadata":{"name":"seen-across"},
           "spec":{"containers":[{"name":"main","image":"busybox","args":["sleep","3600"]}]}}
          """;
      HttpResponse<String> created =
          http.send(
              request(a, "/api/v1/namespaces/default/pods")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(pod))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long createdAt = System.nanoTime();
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String added = null;
      long deadline = createdAt + TimeUnit.SECONDS.toNanos(1);
      while (added == null && System.nanoTime() < deadline) {
        String line = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line != null && line.contains("\"ADDED\"") && line.contains("\"seen-across\"")) {
          added = line;
        }
      }
      assertThat(added)
          .as("apiserver-2's watch saw the pod apiserver-1 created within 1 s; saw %s", events)
          .isNotNull();
    } finally {
      watch.body().close();
    }
    ok(cluster.kubectl("1.33").run("delete", "pod", "seen-across", "--wait=false"));
  }

  /** The columns each held watch prints: an event, its pod, its resourceVersion, the phase. */
  private static final String WATCH_COLUMNS =
      "custom-columns=EVENT:.type,NAME:.object.metadata.name,RV:.object.metadata.resourceVersion,"
          + "PHASE:.object.status.phase";

  /**
   * {@code kubectl get pods -w --output-watch-events} printing {@link #WATCH_COLUMNS}, with {@code
   * -v=6}, once its watch request was answered (so that what follows is seen as events, not as part
   * of its initial list). {@code server}: an apiserver's own URL, or null for the balancer.
   */
  private RunningCommand heldWatch(String minor, URI server) {
    List<String> args = new ArrayList<>();
    if (server != null) {
      args.addAll(List.of("--server", server.toString()));
    }
    args.addAll(List.of("get", "pods", "-w", "--output-watch-events", "-o", WATCH_COLUMNS, "-v=6"));
    RunningCommand watch = cluster.kubectl(minor).start(args.toArray(String[]::new));
    sessionsOpened.add(watch);
    Await.until(
        () -> "kubectl " + minor + "'s watch answered; stderr: " + watch.stderr(),
        Duration.ofSeconds(30),
        () ->
            watch.stderr().lines().anyMatch(l -> l.contains("watch=true") && l.contains("200 OK")));
    return watch;
  }

  /** The events of the pods {@code names} a held watch printed, in order. */
  private static List<EtcdHistory.Event> printedFor(RunningCommand watch, Set<String> names) {
    return EtcdHistory.printed(watch.stdout()).stream()
        .filter(e -> names.contains(e.name()))
        .toList();
  }

  /**
   * Deletes the pods {@code names} (waiting for them to be gone), then asserts that each watch
   * printed exactly what etcd recorded for them from revision {@code from} on: every write once, in
   * revision order, ending in their deletion.
   */
  private void deleteAndAssertEachWatchSawEtcdsHistory(
      long from, Set<String> names, Map<String, RunningCommand> watches) throws Exception {
    List<String> delete = new ArrayList<>(List.of("delete", "pod", "--grace-period=1"));
    delete.addAll(names);
    ok(cluster.kubectl("1.33").run(delete.toArray(String[]::new)));
    List<EtcdHistory.Event> history =
        new EtcdHistory(cluster.home())
            .pods(
                from,
                events ->
                    names.stream()
                        .allMatch(
                            n ->
                                events.stream()
                                    .anyMatch(
                                        e -> e.name().equals(n) && e.type().equals("DELETED"))),
                Duration.ofSeconds(30));
    List<EtcdHistory.Event> expected =
        history.stream().filter(e -> names.contains(e.name())).toList();
    assertThat(expected.get(expected.size() - 1).type()).isEqualTo("DELETED");
    for (Map.Entry<String, RunningCommand> w : watches.entrySet()) {
      RunningCommand watch = w.getValue();
      Await.until(
          () ->
              w.getKey()
                  + " printed etcd's history "
                  + expected
                  + "; printed "
                  + printedFor(watch, names)
                  + "; stderr: "
                  + watch.stderr().lines().filter(l -> !l.contains("round_trippers")).toList(),
          Duration.ofSeconds(10),
          () -> printedFor(watch, names).size() >= expected.size());
      assertThat(printedFor(watch, names))
          .as("%s: every write once, in order", w.getKey())
          .containsExactlyElementsOf(expected);
    }
  }

  @Order(3)
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.29", "1.33"})
  void getPodsWatchThroughTheBalancerPrintsEveryEventOfAPodFromAddedToDeleted(String minor)
      throws Exception {
    String name = "watched-" + minor.replace('.', '-');
    long from = new EtcdHistory(cluster.home()).revision() + 1;
    RunningCommand watch = heldWatch(minor, null);
    ok(
        cluster
            .kubectl(minor)
            .run("run", name, "--image=busybox", "--restart=Never", "--", "sleep", "3600"));
    pods.awaitRunning(name);
    watch.awaitStdout(name, Duration.ofSeconds(10));
    deleteAndAssertEachWatchSawEtcdsHistory(from, Set.of(name), Map.of("kubectl " + minor, watch));
    List<EtcdHistory.Event> printed = printedFor(watch, Set.of(name));
    assertThat(printed.get(0).type()).isEqualTo("ADDED");
    assertThat(printed).filteredOn(e -> e.type().equals("ADDED")).hasSize(1);
    assertThat(printed).filteredOn(e -> e.type().equals("DELETED")).hasSize(1);
    assertThat(watch.process().isAlive()).as("stderr: %s", watch.stderr()).isTrue();
    // the watch goes on until Ctrl-C, which kubectl's interrupt handler turns into exit status 1
    // (os.Exit(1)), as against any cluster
    ok(
        Commands.run(
            List.of("kill", "-INT", Long.toString(watch.process().pid())),
            Map.of(),
            null,
            Duration.ofSeconds(10)));
    assertThat(watch.awaitExit(Duration.ofSeconds(10))).as("kubectl exits on SIGINT").isTrue();
    assertThat(watch.process().exitValue()).as("stderr: %s", watch.stderr()).isEqualTo(1);
    assertThat(watch.stderr().lines().filter(l -> !l.matches("I\\d{4} .*")))
        .as("stderr beside -v=6's lines")
        .isEmpty();
  }

  @Order(4)
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.29", "1.33"})
  void portForwardThroughTheBalancerCarriesEveryByteBothWays(String minor) throws Exception {
    String name = "forwarded-" + minor.replace('.', '-');
    pods.runBusybox(name, "sleep", "3600");
    String podIp = pods.pod(name).orElseThrow().path("status").path("podIP").asText();
    int local = freePort();
    try (EchoServer echo = new EchoServer(podIp);
        RunningCommand forward =
            cluster
                .kubectl(minor)
                .start("port-forward", "pod/" + name, local + ":" + echo.port())) {
      sessionsOpened.add(forward);
      forward.awaitStdout(
          "Forwarding from 127.0.0.1:" + local + " -> " + echo.port() + "\n",
          Duration.ofSeconds(30));
      Random random = new Random(minor.hashCode());
      for (int size : List.of(1, 65_537, 4 << 20)) {
        byte[] payload = new byte[size];
        random.nextBytes(payload);
        assertThat(echoed(local, payload)).as("%d bytes out and back", size).isEqualTo(payload);
      }
      assertThat(forward.stdout())
          .isEqualTo(
              ("Forwarding from 127.0.0.1:%1$d -> %2$d\nForwarding from [::1]:%1$d -> %2$d\n"
                      + "Handling connection for %1$d\n".repeat(3))
                  .formatted(local, echo.port()));
      assertThat(forward.process().isAlive()).as("stderr: %s", forward.stderr()).isTrue();
    }
    ok(cluster.kubectl(minor).run("delete", "pod", name, "--wait=false"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /**
   * Writes {@code payload} to the local end of a forward while reading as many bytes back (the
   * echo's), then closes: no half-close, which kubectl's port-forward does not carry.
   */
  private static byte[] echoed(int local, byte[] payload) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", local)) {
      socket.setSoTimeout(30_000);
      ExecutorService writer = Executors.newSingleThreadExecutor();
      try {
        java.util.concurrent.Future<?> sent =
            writer.submit(
                () -> {
                  socket.getOutputStream().write(payload);
                  socket.getOutputStream().flush();
                  return null;
                });
        byte[] back = socket.getInputStream().readNBytes(payload.length);
        sent.get(30, TimeUnit.SECONDS);
        return back;
      } finally {
        writer.shutdownNow();
      }
    }
  }

  @Order(5)
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.29", "1.33"})
  void logsFollowThroughTheBalancerStreamsEachLineAndEndsWithTheContainer(String minor)
      throws Exception {
    String name = "followed-" + minor.replace('.', '-');
    // the gates are files in the pod's own root, made with kubectl exec
    pods.runBusybox(
        name,
        "sh",
        "-c",
        "echo before; while [ ! -e /tmp/gate ]; do sleep 0.05; done; echo after;"
            + " while [ ! -e /tmp/gate.end ]; do sleep 0.05; done");
    try (RunningCommand follow = cluster.kubectl(minor).start("logs", "-f", name)) {
      sessionsOpened.add(follow);
      follow.awaitStdout("before\n", Duration.ofSeconds(30));
      ok(cluster.kubectl(minor).run("exec", name, "--", "touch", "/tmp/gate"));
      // a deadline, not a sleep: the line reaches kubectl within 1 s of being printed
      follow.awaitStdout("after\n", Duration.ofSeconds(1));
      assertThat(follow.process().isAlive()).as("stderr: %s", follow.stderr()).isTrue();
      ok(cluster.kubectl(minor).run("exec", name, "--", "touch", "/tmp/gate.end"));
      assertThat(follow.awaitExit(Duration.ofSeconds(30)))
          .as("kubectl logs -f ends with the container")
          .isTrue();
      assertThat(follow.process().exitValue()).as("stderr: %s", follow.stderr()).isZero();
      assertThat(follow.stdout()).isEqualTo("before\nafter\n");
      assertThat(follow.stderr()).isEmpty();
    }
    ok(cluster.kubectl(minor).run("delete", "pod", name));
  }

  /**
   * etcd killed and started again (by {@code kubehop start etcd}, on its ports and data) while
   * watches are held: the watches go on, and print every write of the pods exactly once, as etcd
   * recorded it. Pod A is created (and seen) before the kill, pod B after; held are kubectl 1.29
   * and 1.33 through the balancer, and 1.33 on each apiserver's own port, so that both apiservers'
   * caches are held to it.
   *
   * <p>Why they go on: each apiserver's one etcd watch ({@code EtcdWatchCache}) breaks when etcd
   * goes, and is reopened, with a backoff of 100 ms doubling to 2 s, from the revision after the
   * last one it processed; etcd, back on the same data, replays from there whatever was written
   * before the cache's watch was back, and the cache drops what it already published, so the window
   * of recent events, and every client watch it serves, sees no gap and no duplicate: only a pause.
   * Upstream, etcd's Go client resumes a watch stream broken by an unavailable etcd the same way
   * (from the last revision it delivered, plus one), below the cacher; the cacher terminates its
   * watchers only when its reflector starts over, after an error the client does not retry (a
   * compacted revision, or "no leader", since the apiserver's etcd watches require one). kubehop
   * ends client watches only for a compaction while its etcd watch was down (410 Gone, {@code
   * EtcdStoreTest}, {@code EtcdApiServerTest}). Whether the caches reopen before B is written or
   * after (etcd's replay then brings B) varies from run to run, and the test prints which it was;
   * {@code EtcdStoreTest} holds writes made while the watch is down to the same rule
   * deterministically.
   */
  @Order(6)
  @Test
  void watchesHeldAcrossAnEtcdRestartGoOnAndPrintEveryWriteOnce() throws Exception {
    EtcdHistory etcd = new EtcdHistory(cluster.home());
    long from = etcd.revision() + 1;
    Map<String, RunningCommand> watches = new java.util.LinkedHashMap<>();
    watches.put("kubectl 1.29 through the balancer", heldWatch("1.29", null));
    watches.put("kubectl 1.33 through the balancer", heldWatch("1.33", null));
    watches.put("kubectl 1.33 on apiserver-1", heldWatch("1.33", apiserver(1)));
    watches.put("kubectl 1.33 on apiserver-2", heldWatch("1.33", apiserver(2)));

    pods.runBusybox("etcd-a", "sleep", "3600");
    for (RunningCommand watch : watches.values()) {
      Await.until(
          () -> "every watch sees etcd-a Running: " + watch.stdout(),
          Duration.ofSeconds(10),
          () -> watch.stdout().lines().anyMatch(l -> l.matches("MODIFIED\\s+etcd-a\\s.*Running")));
    }

    long pid = cluster.pid("etcd");
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    Await.until("etcd to be gone", Duration.ofSeconds(10), () -> ProcessHandle.of(pid).isEmpty());
    assertThat(etcd.healthy()).isFalse();
    // down until the leader gave up its Leases (no renewal for 3 s): by then each cache's reopening
    // backs off 1.6 s and more, so a write right after etcd is back likely lands before it reopens
    Await.until(
        "the leader to lose its lease while etcd is down",
        Duration.ofSeconds(20),
        () ->
            apiserverLogs()
                .contains("leader lost lease kube-system/kube-scheduler: failed to renew"));
    ok(cluster.kubehop("start", "etcd"));
    Await.until("etcd to answer again", Duration.ofSeconds(30), etcd::healthy);
    assertThat(cluster.pid("etcd")).isNotEqualTo(pid);

    Instant beforeB = Instant.now();
    ok(
        cluster
            .kubectl("1.33")
            .run("run", "etcd-b", "--image=busybox", "--restart=Never", "--", "sleep", "3600"));
    Instant createdB = Instant.now();
    pods.awaitRunning("etcd-b"); // a leader was elected again, and scheduled it
    deleteAndAssertEachWatchSawEtcdsHistory(from, Set.of("etcd-a", "etcd-b"), watches);
    for (Map.Entry<String, RunningCommand> w : watches.entrySet()) {
      List<EtcdHistory.Event> printed = printedFor(w.getValue(), Set.of("etcd-a", "etcd-b"));
      assertThat(printed)
          .as(w.getKey())
          .filteredOn(e -> e.type().equals("ADDED"))
          .extracting(EtcdHistory.Event::name)
          .containsExactly("etcd-a", "etcd-b");
      assertThat(w.getValue().process().isAlive())
          .as("%s went on; stderr: %s", w.getKey(), w.getValue().stderr())
          .isTrue();
      w.getValue().close();
    }
    // both apiservers' etcd watches broke and were reopened where they had stopped
    for (int n = 1; n <= 2; n++) {
      String apiserver = "apiserver-" + n;
      List<String> log = Files.readAllLines(cluster.home().resolve("logs/" + apiserver + ".log"));
      assertThat(log).anyMatch(l -> l.contains("WARNING etcd watch ended"));
      Instant reopened =
          log.stream()
              .filter(l -> l.contains("INFO etcd watch reopened from revision "))
              .map(l -> Instant.parse(l.split(" ")[1]))
              .reduce((a, b) -> b)
              .orElseThrow(() -> new AssertionError(apiserver + " never reopened its watch"));
      System.out.printf(
          "SeveralApiserversIT: %s's etcd watch reopened %s etcd-b's creation (%d ms"
              + " after the kubectl run began, which took %d ms)%n",
          apiserver,
          reopened.isAfter(createdB) ? "after" : reopened.isBefore(beforeB) ? "before" : "during",
          Duration.between(beforeB, reopened).toMillis(),
          Duration.between(beforeB, createdB).toMillis());
    }
  }

  @Order(10)
  @Test
  void killingTheLeadingApiserverLeavesTheClusterWorkingAndTheOtherSchedules() throws Exception {
    pods.runBusybox("before", "sleep", "3600");
    String leader = leader();
    int survivor = leader.equals("apiserver-1") ? 2 : 1;
    int leaderIndex = Integer.parseInt(leader.substring("apiserver-".length()));
    Map<Integer, RunningCommand> sessions = execSessionOnEachApiserver();
    long pid = cluster.pid(leader);
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    Await.until(
        "the killed apiserver to be gone",
        Duration.ofSeconds(10),
        () -> ProcessHandle.of(pid).isEmpty());
    long killedAt = System.nanoTime();

    // the session the killed apiserver held ends, with a non-zero exit; the other's goes on
    RunningCommand lost = sessions.get(leaderIndex);
    assertThat(lost.awaitExit(Duration.ofSeconds(10)))
        .as("the session on %s ended within 10 s of the kill", leader)
        .isTrue();
    assertThat(lost.process().exitValue()).as("stderr: %s", lost.stderr()).isNotZero();
    RunningCommand kept = sessions.get(survivor);
    int ticks = kept.stdout().length();
    Await.until(
        "the session on apiserver-" + survivor + " to go on printing",
        Duration.ofSeconds(10),
        () -> kept.stdout().length() > ticks + 10);
    assertThat(kept.process().isAlive()).as("stderr: %s", kept.stderr()).isTrue();

    // new sessions keep working: every connection now goes to the survivor
    Kubectl kubectl = cluster.kubectl("1.33");
    for (int i = 0; i < 4; i++) {
      assertThat(ok(kubectl.run("get", "pods")).stdout()).contains("before");
    }
    assertThat(ok(kubectl.run("exec", "before", "--", "echo", "after the kill")).stdout())
        .isEqualTo("after the kill\n");
    assertThat(ok(cluster.kubectl("1.29").run("exec", "before", "--", "echo", "1.29 too")).stdout())
        .isEqualTo("1.29 too\n");

    ok(kubectl.run("run", "after", "--image=busybox", "--restart=Never", "--", "sleep", "3600"));
    long createdAt = System.nanoTime();
    Await.until(
        () -> "pod after scheduled within 10 s; logs:\n" + cluster.logs(),
        Duration.ofSeconds(10),
        () ->
            pods.pod("after")
                .map(p -> !p.path("spec").path("nodeName").asText().isEmpty())
                .orElse(false));
    Duration scheduledIn = Duration.ofNanos(System.nanoTime() - createdAt);
    Duration sinceKill = Duration.ofNanos(System.nanoTime() - killedAt);
    assertThat(leader()).isEqualTo("apiserver-" + survivor);
    pods.awaitRunning("after");
    assertThat(kept.process().isAlive()).as("stderr: %s", kept.stderr()).isTrue();
    sessionsOpened.forEach(RunningCommand::close);

    // kubehop start brings the killed one back, on its port, and HAProxy sends it connections again
    ok(cluster.kubehop("start", leader));
    Await.until(
        () -> "HAProxy to see " + leader + " up again:\n" + haproxyLog(),
        Duration.ofSeconds(60),
        () -> haproxyLog().contains("Server apiservers/" + leader + " is UP"));
    ok(kubectl.run("get", "pods"));
    System.out.printf(
        "SeveralApiserversIT: %s killed; pod scheduled %d ms after its creation, %d ms after the kill%n",
        leader, scheduledIn.toMillis(), sinceKill.toMillis());
  }

  private final List<RunningCommand> sessionsOpened = new ArrayList<>();

  /**
   * Opens one {@code kubectl exec} session (1.33, WebSocket) printing a tick every 0.2 s on each
   * apiserver, through its own port ({@code --server}): through HAProxy a quiet cluster puts every
   * exec on the same apiserver, as kubectl opens two connections per exec (the pod's GET, kept idle
   * in its pool, then the upgrade) and the balancer alternates. Checks with each apiserver's {@code
   * /debug/sessions} that it holds its session.
   */
  private Map<Integer, RunningCommand> execSessionOnEachApiserver() {
    Map<Integer, RunningCommand> held = new HashMap<>();
    for (int n = 1; n <= 2; n++) {
      Set<String> before = openExecSessions(n);
      RunningCommand session =
          cluster
              .kubectl("1.33")
              .start(
                  "--server",
                  apiserver(n).toString(),
                  "exec",
                  "before",
                  "--",
                  "sh",
                  "-c",
                  "while true; do echo tick; sleep 0.2; done");
      sessionsOpened.add(session);
      session.awaitStdout("tick", Duration.ofSeconds(30));
      int apiserver = n;
      Await.until(
          "apiserver-" + n + " to hold the new exec session",
          Duration.ofSeconds(10),
          () -> openExecSessions(apiserver).size() > before.size());
      held.put(n, session);
    }
    return held;
  }

  /** The ids of the exec sessions apiserver-N holds open. */
  private Set<String> openExecSessions(int n) {
    try {
      HttpResponse<String> r =
          http.send(
              request(apiserver(n), "/debug/sessions").build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      Set<String> ids = new HashSet<>();
      for (JsonNode session : Pods.tree(r.body()).path("sessions")) {
        if (session.path("kind").asText().equals("exec")
            && session.path("state").asText().equals("open")) {
          ids.add(session.path("id").asText());
        }
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The apiserver that last acquired the scheduler's Lease, from the apiservers' logs. */
  private String leader() throws IOException {
    String last = null;
    long when = Long.MIN_VALUE;
    for (int n = 1; n <= 2; n++) {
      List<String> lines =
          Files.readAllLines(cluster.home().resolve("logs/apiserver-" + n + ".log"));
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = ACQUIRED.matcher(lines.get(i));
        if (m.find()) {
          // the log line starts "apiserver 2026-…Z": ISO instants sort as text
          String[] parts = lines.get(i).split(" ");
          long t = Instant.parse(parts[1]).toEpochMilli();
          if (t >= when) {
            when = t;
            last = m.group(1);
          }
        }
      }
    }
    assertThat(last).as("an apiserver acquired the scheduler's lease").isNotNull();
    return last;
  }
}
