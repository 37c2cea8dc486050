package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.JvmHeap;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.OsProcesses;
import io.kubehop.e2e.support.Pods;
import io.kubehop.e2e.support.WebPage;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The leak soak: sequential {@code kubectl exec} sessions (1.29 over SPDY and 1.33 over WebSocket,
 * in turn) and port-forward connections (1.29 over SPDY and 1.33 through the WebSocket tunnel, in
 * turn), after which every tier's open fds, threads outside bounded pools and live heap are back to
 * what they were after a warm-up. CI runs {@code -Dsoak.execs=200 -Dsoak.connections=1000} (the
 * defaults); {@code bench/soak.sh} runs the 10,000 and 1,000 and prints the table that
 * {@code docs/reliability.md} keeps.
 *
 * <p>The warm-up is one of each session kind plus {@link #RING} exec sessions: each tier keeps its
 * last 200 closed sessions for the inspector, so the baseline is taken with that ring full, as it
 * is after any soak.
 */
class SoakIT {

  static final int EXECS = Integer.getInteger("soak.execs", 200);
  static final int CONNECTIONS = Integer.getInteger("soak.connections", 1000);

  /** The closed sessions every tier keeps ({@code HopRegistry} and the runtime's registry). */
  static final int RING = 200;

  /** fds a tier may hold beyond its baseline: none is expected; one is a pooled connection. */
  static final long FD_SLACK = 2;

  /** Live heap a tier may hold beyond its baseline: interned strings, JIT's code, counters. */
  static final long HEAP_SLACK = 2L << 20;

  private static final Pattern FORWARDING =
      Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 80");

  private static KubehopCluster cluster;
  private static Map<String, Long> tiers;

  @BeforeAll
  static void up() {
    cluster = KubehopCluster.up();
    Pods pods = new Pods(cluster);
    pods.runBusybox("demo", "sleep", "36000");
    pods.startWeb();
    tiers = new LinkedHashMap<>();
    for (String tier : List.of("apiserver", "kubelet-node-1", "runtime-node-1")) {
      tiers.put(tier, cluster.pid(tier));
    }
  }

  @AfterAll
  static void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  record Usage(long fds, long threads, long unpooledThreads, long liveHeap) {
    static Usage of(long pid) {
      // jcmd first: its first attach starts the JVM's Attach Listener thread and its socket, which
      // then stay; counted before it, they would look like a leak of the soak.
      long liveHeap = JvmHeap.live(pid);
      return new Usage(
          OsProcesses.count(pid, "fd"),
          OsProcesses.count(pid, "task"),
          OsProcesses.unpooledThreads(pid),
          liveHeap);
    }

    boolean within(Usage baseline) {
      return fds <= baseline.fds + FD_SLACK
          && unpooledThreads <= baseline.unpooledThreads
          && liveHeap <= baseline.liveHeap + HEAP_SLACK;
    }
  }

  private static void exec(Kubectl kubectl, int i) {
    ProcessResult r = kubectl.run("exec", "demo", "--", "echo", "soak-" + i);
    assertThat(r.exitCode()).as("exec %d with kubectl %s: %s", i, kubectl.minor(), r).isZero();
    assertThat(r.stdout()).isEqualTo("soak-" + i + "\n");
  }

  private static int forwardedPort(RunningCommand forward) {
    Matcher m =
        FORWARDING.matcher(
            forward.awaitStdout("Forwarding from 127.0.0.1:", Duration.ofSeconds(30)));
    assertThat(m.find()).as(forward.stdout()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static void fetch(int port, int i) throws Exception {
    String page = WebPage.get(port);
    assertThat(page)
        .as("connection %d", i)
        .startsWith("HTTP/1.1 200 ")
        .contains("Welcome to nginx!");
  }

  @Test
  void execSessionsAndPortForwardConnectionsLeaveEveryTierAsTheyFoundIt() throws Exception {
    List<Kubectl> clients = List.of(cluster.kubectl("1.29"), cluster.kubectl("1.33"));
    for (int i = 0; i < RING; i++) {
      exec(clients.get(i % 2), i);
    }
    try (RunningCommand spdy = clients.get(0).start("port-forward", "pod/web", ":80");
        RunningCommand tunnel = clients.get(1).start("port-forward", "pod/web", ":80")) {
      fetch(forwardedPort(spdy), -1);
      fetch(forwardedPort(tunnel), -2);
    }
    Map<String, Usage> baseline = usage();

    Instant start = Instant.now();
    for (int i = 0; i < EXECS; i++) {
      exec(clients.get(i % 2), i);
    }
    Duration execs = Duration.between(start, Instant.now());
    Map<String, Usage> afterExecs = settled(baseline);

    start = Instant.now();
    try (RunningCommand spdy = clients.get(0).start("port-forward", "pod/web", ":80");
        RunningCommand tunnel = clients.get(1).start("port-forward", "pod/web", ":80")) {
      int[] ports = {forwardedPort(spdy), forwardedPort(tunnel)};
      for (int i = 0; i < CONNECTIONS; i++) {
        fetch(ports[i % 2], i);
      }
    }
    Duration connections = Duration.between(start, Instant.now());
    Map<String, Usage> afterConnections = settled(baseline);

    System.out.printf(
        "soak: %d exec sessions in %.1f s, %d port-forward connections in %.1f s%n",
        EXECS, execs.toMillis() / 1000.0, CONNECTIONS, connections.toMillis() / 1000.0);
    System.out.println("| tier | when | fds | threads | threads outside pools | live heap KiB |");
    System.out.println("|---|---|---:|---:|---:|---:|");
    for (String tier : tiers.keySet()) {
      for (var row :
          List.of(
              Map.entry("baseline", baseline.get(tier)),
              Map.entry("after " + EXECS + " execs", afterExecs.get(tier)),
              Map.entry("after " + CONNECTIONS + " connections", afterConnections.get(tier)))) {
        Usage u = row.getValue();
        System.out.printf(
            "| %s | %s | %d | %d | %d | %d |%n",
            tier, row.getKey(), u.fds(), u.threads(), u.unpooledThreads(), u.liveHeap() >> 10);
      }
    }
    for (String tier : tiers.keySet()) {
      for (Usage after : List.of(afterExecs.get(tier), afterConnections.get(tier))) {
        Usage base = baseline.get(tier);
        assertThat(after.fds()).as("%s fds", tier).isLessThanOrEqualTo(base.fds() + FD_SLACK);
        assertThat(after.unpooledThreads())
            .as("%s threads outside pools", tier)
            .isLessThanOrEqualTo(base.unpooledThreads());
        assertThat(after.liveHeap())
            .as("%s live heap", tier)
            .isLessThanOrEqualTo(base.liveHeap() + HEAP_SLACK);
      }
    }
  }

  private static Map<String, Usage> usage() {
    Map<String, Usage> all = new LinkedHashMap<>();
    tiers.forEach((tier, pid) -> all.put(tier, Usage.of(pid)));
    return all;
  }

  /**
   * Every tier's usage once all of it is within the baseline's slack (a closing session lingers
   * briefly), or what it is at the deadline, for the assertions to show.
   */
  private static Map<String, Usage> settled(Map<String, Usage> baseline) {
    List<Map<String, Usage>> last = new ArrayList<>(List.of(usage()));
    Await.within(
        Duration.ofSeconds(15),
        () -> {
          last.set(0, usage());
          return tiers.keySet().stream().allMatch(t -> last.get(0).get(t).within(baseline.get(t)));
        });
    return last.get(0);
  }
}
