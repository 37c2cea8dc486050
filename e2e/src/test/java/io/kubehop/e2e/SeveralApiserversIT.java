package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.e2e.support.ClusterTls;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import io.kubehop.testkit.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Set;
import java.util.concurrent.BlockingQueue;
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
 * mode in front on the usual port, TLS passed through. Stock kubectl works through the balancer;
 * each apiserver sees what the other wrote at once (one etcd, one watch each); {@code kill -9} of
 * the apiserver that leads ends the exec session it held (non-zero exit) and not the one the other
 * holds, leaves the cluster working, and the other takes over scheduling within 10 s. Under {@code
 * CI=true} a missing etcd or haproxy fails the class (it never skips).
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

  /** apiserver-N's own URL, from the cluster.json up wrote. */
  private URI apiserver(int n) {
    try {
      JsonNode json = Pods.tree(Files.readString(cluster.home().resolve("cluster.json")));
      for (JsonNode a : json.path("apiserver").path("apiservers")) {
        if (a.path("name").asText().equals("apiserver-" + n)) {
          return URI.create(a.path("url").asText());
        }
      }
      throw new AssertionError("no apiserver-" + n + " in cluster.json: " + json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    ok(kubectl.run("delete", "pod", name));
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

  @Order(3)
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
