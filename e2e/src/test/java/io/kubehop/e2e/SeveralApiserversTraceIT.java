package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.e2e.support.ClusterTls;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Lsof;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubehop trace} on {@code bin/kubehop up --apiservers 2}: it lists the sessions of both
 * apiservers, not only of the one the balancer gives its own request to, and names on each the
 * apiserver that holds it ({@code on apiserver-N}, {@code "apiserver"} in {@code -o json}), which
 * is the apiserver whose own {@code /debug/sessions} reports it and whose process holds its sockets
 * ({@code lsof}). A killed apiserver neither hangs nor fails trace: it is unreachable while its
 * identity Lease lasts, then gone. Under {@code CI=true} a missing etcd, haproxy, lsof or kubectl
 * fails the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeveralApiserversTraceIT {

  private KubehopCluster cluster;
  private HttpClient http;
  private String token;
  private final List<RunningCommand> sessions = new ArrayList<>();

  @BeforeAll
  void up() {
    Tools.onPath("etcd");
    Tools.onPath("lsof");
    if (!Files.isExecutable(Path.of("/usr/sbin/haproxy"))) {
      Tools.onPath("haproxy");
    }
    cluster = KubehopCluster.upSecure("--apiservers", "2");
    http = ClusterTls.client(cluster.pki().resolve("ca.crt"));
    token = ClusterTls.token(cluster.pki().resolve("tokens.csv"), "kubehop-admin");
    new Pods(cluster).runBusybox("held", "sleep", "3600");
  }

  @AfterEach
  void closeSessions() {
    sessions.forEach(RunningCommand::close);
    sessions.clear();
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** apiserver-N's own URL. */
  private URI apiserver(int n) {
    return cluster.apiserverUrl(n);
  }

  /** The open exec sessions apiserver-N reports itself, at its own URL. */
  private List<JsonNode> openExecs(int n) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(apiserver(n).resolve("/debug/sessions"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      List<JsonNode> open = new ArrayList<>();
      for (JsonNode s : Pods.tree(r.body()).path("sessions")) {
        if (s.path("kind").asText().equals("exec") && s.path("state").asText().equals("open")) {
          open.add(s);
        }
      }
      return open;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private Set<String> ids(List<JsonNode> sessions) {
    Set<String> ids = new HashSet<>();
    sessions.forEach(s -> ids.add(s.path("id").asText()));
    return ids;
  }

  /** A new open exec on either apiserver: {apiserver number, session id}. */
  private record Held(int apiserver, String id) {}

  /**
   * Starts a ticking {@code kubectl exec} (through the balancer, or with {@code --server} at an
   * apiserver's own URL) and finds the apiserver that reports it, by its own {@code
   * /debug/sessions}.
   */
  private Held open(String minor, URI server) {
    Set<String> before1 = ids(openExecs(1));
    Set<String> before2 = ids(openExecs(2));
    List<String> args = new ArrayList<>();
    if (server != null) {
      args.addAll(List.of("--server", server.toString()));
    }
    args.addAll(
        List.of("exec", "held", "--", "sh", "-c", "while true; do echo tick; sleep 0.2; done"));
    RunningCommand session = cluster.kubectl(minor).start(args.toArray(String[]::new));
    sessions.add(session);
    session.awaitStdout("tick", Duration.ofSeconds(30));
    return Await.value(
        "an apiserver to report the new exec session",
        Duration.ofSeconds(10),
        () -> {
          Set<String> now1 = ids(openExecs(1));
          now1.removeAll(before1);
          Set<String> now2 = ids(openExecs(2));
          now2.removeAll(before2);
          if (now1.size() + now2.size() != 1) {
            return null;
          }
          return now1.isEmpty()
              ? new Held(2, now2.iterator().next())
              : new Held(1, now1.iterator().next());
        });
  }

  private static ProcessResult ok(ProcessResult r) {
    assertThat(r.exitCode()).as("%s", r).isZero();
    return r;
  }

  private static Optional<JsonNode> session(JsonNode trace, String id) {
    for (JsonNode s : trace.path("sessions")) {
      if (s.path("id").asText().equals(id)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The apiserver's socket to the kubelet for this session, as {@code lsof} names it. */
  private static String kubeletSocket(JsonNode session) {
    for (JsonNode hop : session.path("hops")) {
      if (hop.path("tier").asText().equals("apiserver")
          && hop.path("peer").asText().equals("kubelet")) {
        return hop.path("local").asText() + "->" + hop.path("remote").asText();
      }
    }
    throw new AssertionError("no apiserver -> kubelet hop in " + session);
  }

  @Order(1)
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.33", "1.29"})
  void traceNamesTheApiserverThatHoldsEachSessionOfBoth(String minor) {
    Held balanced = open(minor, null);
    int other = balanced.apiserver() == 1 ? 2 : 1;
    Held direct = open(minor, apiserver(other)); // the other apiserver holds one too

    JsonNode json = Pods.tree(ok(cluster.kubehop("trace", "-o", "json")).stdout());
    for (Held held : List.of(balanced, direct)) {
      JsonNode s =
          session(json, held.id())
              .orElseThrow(() -> new AssertionError("trace lists " + held + ": " + json));
      String name = "apiserver-" + held.apiserver();
      assertThat(s.path("apiserver").asText()).as("%s", s).isEqualTo(name);
      // its sockets are that apiserver's, as the kernel reports them, and not the other's
      String socket = kubeletSocket(s);
      assertThat(Lsof.established(cluster.pid(name))).contains(socket);
      assertThat(Lsof.established(cluster.pid("apiserver-" + (held.apiserver() == 1 ? 2 : 1))))
          .doesNotContain(socket);
    }

    ProcessResult text = ok(cluster.kubehop("trace"));
    assertThat(text.stderr()).isEmpty();
    assertThat(text.stdout())
        .containsPattern(
            "(?m)^exec default/held/held  sh -c while true; do echo tick; sleep 0\\.2; done  on apiserver-"
                + balanced.apiserver()
                + "  ")
        .containsPattern(
            "(?m)^exec default/held/held  sh -c while true; do echo tick; sleep 0\\.2; done  on apiserver-"
                + other
                + "  ");
    assertThat(ok(cluster.kubehop("trace", "-o", "wide", balanced.id())).stdout())
        .startsWith(
            "exec default/held/held  sh -c while true; do echo tick; sleep 0.2; done  on apiserver-"
                + balanced.apiserver()
                + "  ");
  }

  @Order(2)
  @Test
  void aKilledApiserverIsUnreachableThenGoneAndTraceStillAnswers() {
    Held kept = open("1.33", apiserver(1));
    long pid = cluster.pid("apiserver-2");
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    Await.until(
        "the killed apiserver to be gone",
        Duration.ofSeconds(10),
        () -> ProcessHandle.of(pid).isEmpty());

    // while its Lease holds (8 to 10 s after the kill) trace dials it, is refused, and says so;
    // on a slow machine the Lease may have run out already: then it is gone
    ProcessResult refused = ok(cluster.kubehop("trace"));
    assertThat(refused.stdout()).contains("  on apiserver-1  ");
    assertThat(refused.stderr())
        .containsPattern(
            "kubehop trace: apiserver apiserver-2 (\\(https://127\\.0\\.0\\.1:\\d+\\): unreachable: |: gone)");
    // once the Lease ran out it is gone, and trace does not dial it any more
    ProcessResult gone =
        Await.value(
            "trace to call apiserver-2 gone",
            Duration.ofSeconds(30),
            () -> {
              ProcessResult r = ok(cluster.kubehop("trace", "-o", "json"));
              return r.stderr().contains("apiserver apiserver-2: gone") ? r : null;
            });
    assertThat(gone.stderr())
        .containsPattern(
            "kubehop trace: apiserver apiserver-2: gone \\(its lease kube-system/apiserver-[0-9a-f]{26} expired \\d+s ago\\)")
        .doesNotContain("unreachable");
    assertThat(session(Pods.tree(gone.stdout()), kept.id()))
        .map(s -> s.path("apiserver").asText())
        .contains("apiserver-1");
  }
}
