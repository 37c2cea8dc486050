package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.EchoServer;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.e2e.support.WebPage;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Commands;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import java.io.IOException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/kubehop port-forward} in kubectl's place, under the load of {@link PortForwardIT}:
 * 1,000 sequential connections, 16 concurrent keep-alive clients, a refused pod port that leaves
 * the forward alive, and bytes that arrive exactly as sent, over {@code --transport=spdy} (a
 * SPDY/3.1 POST upgrade) and {@code --transport=websocket} (SPDY tunnelled in WebSocket, unwrapped
 * at the apiserver). Free local ports ({@code :REMOTE}) are read from the {@code Forwarding from}
 * lines.
 */
class KubehopPortForwardIT {

  private static final String WELCOME = "<title>Welcome to nginx!</title>";
  private static final Pattern FORWARDING =
      Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> (\\d+)\n");

  private static void startWeb(KubehopCluster cluster) throws IOException {
    Path manifest = cluster.home().resolve("web.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          containers:
          - name: nginx
            image: nginx
            ports:
            - containerPort: 80
              name: http
        """);
    ProcessResult apply = cluster.kubehop("apply", "-f", manifest.toString());
    assertThat(apply.exitCode()).as(apply.toString()).isZero();
    new Pods(cluster).awaitRunning("web");
  }

  /** {@code bin/kubehop port-forward ARGS…} against the cluster, started in the background. */
  private static RunningCommand kubehopPortForward(KubehopCluster cluster, String... args) {
    List<String> command = new ArrayList<>();
    command.add(KubehopCluster.root().resolve("bin/kubehop").toString());
    command.add("port-forward");
    command.addAll(List.of(args));
    return RunningCommand.start(
        command,
        Map.of(
            "KUBEHOP_HOME", cluster.home().toString(),
            "KUBECONFIG", cluster.kubeconfig().toString()));
  }

  /**
   * The local port of each {@code [LOCAL:]REMOTE} mapping, in order, once its {@code Forwarding
   * from} lines (127.0.0.1 and ::1) are printed.
   */
  private static List<Integer> localPorts(RunningCommand forward, int count) {
    return Await.value(
        count + " forwarded ports; stderr: " + forward.stderr(),
        Duration.ofSeconds(60),
        () -> {
          List<Integer> ports = new ArrayList<>();
          Matcher m = FORWARDING.matcher(forward.stdout());
          while (m.find()) {
            ports.add(Integer.parseInt(m.group(1)));
          }
          boolean ipv6Too =
              ports.size() == count
                  && ports.stream()
                      .allMatch(
                          p -> forward.stdout().contains("Forwarding from [::1]:" + p + " -> "));
          return ipv6Too ? ports : null;
        });
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  private static void assertWelcome(String response) {
    assertThat(response).startsWith("HTTP/1.1 200 ").contains(WELCOME);
  }

  /** 1,000 sequential connections, then 16 concurrent keep-alive clients of 25 requests each. */
  private static void thousandSequentialAndSixteenConcurrent(int local) throws Exception {
    for (int i = 0; i < 1000; i++) {
      assertWelcome(WebPage.get(local));
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> clients = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        clients.add(
            pool.submit(
                () -> {
                  HttpClient http =
                      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                  int ok = 0;
                  for (int i = 0; i < 25; i++) {
                    HttpResponse<String> r =
                        http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + "/"))
                                .timeout(Duration.ofSeconds(20))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().contains(WELCOME)) {
                      ok++;
                    }
                  }
                  return ok;
                }));
      }
      for (Future<Integer> client : clients) {
        assertThat(client.get(120, TimeUnit.SECONDS)).isEqualTo(25);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * {@code size} random bytes out through the forward and back from the echo server, the local
   * write side half-closed after the last byte: returns what came back.
   */
  private static byte[] echo(int local, byte[] payload) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", local)) {
      socket.setSoTimeout(60_000);
      ExecutorService writer = Executors.newSingleThreadExecutor();
      try {
        Future<?> sent =
            writer.submit(
                () -> {
                  socket.getOutputStream().write(payload);
                  socket.shutdownOutput();
                  return null;
                });
        byte[] back = socket.getInputStream().readAllBytes();
        sent.get(60, TimeUnit.SECONDS);
        return back;
      } finally {
        writer.shutdownNow();
      }
    }
  }

  private static void loadRefusedAndExactBytes(
      KubehopCluster cluster, String transport, String podIp, int echoPort) throws Exception {
    int live = freePort();
    int refused = freePort();
    try (RunningCommand forward =
        kubehopPortForward(
            cluster,
            "--transport=" + transport,
            "-v=6",
            "pod/web",
            live + ":http",
            refused + ":81",
            ":" + echoPort)) {
      List<Integer> ports = localPorts(forward, 3);
      assertThat(ports.subList(0, 2)).containsExactly(live, refused);
      int echoLocal = ports.get(2);
      assertThat(forward.stdout())
          .contains("Forwarding from 127.0.0.1:" + live + " -> 80\n")
          .contains("Forwarding from [::1]:" + echoLocal + " -> " + echoPort + "\n");

      thousandSequentialAndSixteenConcurrent(live);

      // Nothing listens on 81 in the pod: that connection ends at once, and only that one.
      assertThat(WebPage.get(refused)).isEmpty();
      assertWelcome(WebPage.get(live));
      assertThat(forward.process().isAlive()).as(forward.stderr()).isTrue();

      Random random = new Random(42);
      for (int size : List.of(1, 65_537, 8 << 20)) {
        byte[] payload = new byte[size];
        random.nextBytes(payload);
        assertThat(echo(echoLocal, payload))
            .as("%d bytes through %s", size, transport)
            .isEqualTo(payload);
      }
      assertThat(forward.stdout())
          .contains("Handling connection for " + live + "\n")
          .contains("Handling connection for " + refused + "\n")
          .contains("Handling connection for " + echoLocal + "\n");
      assertThat(forward.stderr()).doesNotContain("lost connection");
      // -v=6: the handshake, with the protocol offered and chosen
      String chosen =
          transport.equals("spdy")
              ? "X-Stream-Protocol-Version: portforward.k8s.io"
              : "Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io";
      assertThat(forward.stderr())
          .contains((transport.equals("spdy") ? "POST " : "GET ") + "http://127.0.0.1:")
          .contains("/api/v1/namespaces/default/pods/web/portforward (Upgrade: ")
          .contains("offering " + chosen)
          .contains("101 Switching Protocols: chose " + chosen + ", session ");

      // Ctrl-C ends the forward cleanly with kubectl's exit status 0.
      ProcessResult interrupt =
          Commands.run(
              List.of("kill", "-INT", Long.toString(forward.process().pid())),
              Map.of(),
              null,
              Duration.ofSeconds(10));
      assertThat(interrupt.exitCode()).isZero();
      assertThat(forward.awaitExit(Duration.ofSeconds(20))).as(forward.stderr()).isTrue();
      assertThat(forward.process().exitValue()).as(forward.stderr()).isZero();
    }
  }

  @Test
  void spdyAndTheTunnelCarryTheLoadSurviveARefusedPortAndKeepEveryByte() throws Exception {
    try (KubehopCluster cluster = KubehopCluster.up()) {
      startWeb(cluster);
      String podIp =
          new Pods(cluster).pod("web").orElseThrow().path("status").path("podIP").asText();
      try (EchoServer echo = new EchoServer(podIp)) {
        loadRefusedAndExactBytes(cluster, "spdy", podIp, echo.port());
        loadRefusedAndExactBytes(cluster, "websocket", podIp, echo.port());
      }
      String log = Files.readString(cluster.home().resolve("logs/apiserver.log"));
      assertThat(log)
          .as("--transport=spdy is a SPDY upgrade")
          .contains("(splice SPDY/3.1 portforward.k8s.io)");
      assertThat(log)
          .as("--transport=websocket tunnels through the apiserver")
          .contains(
              "(tunneled websocket SPDY/3.1+portforward.k8s.io -> SPDY/3.1 portforward.k8s.io)");
    }
  }

  /**
   * {@code --transport=auto} does what kubectl 1.31+ does: the tunnel first and, where the
   * apiserver refuses it ({@code --websocket-translation off}), SPDY.
   */
  @Test
  void autoFallsBackToSpdyWhenTheTunnelIsRefused() throws Exception {
    try (KubehopCluster cluster = KubehopCluster.up("--websocket-translation", "off")) {
      startWeb(cluster);
      try (RunningCommand forward = kubehopPortForward(cluster, "-v=6", "web", ":80")) {
        int local = localPorts(forward, 1).get(0);
        for (int i = 0; i < 100; i++) {
          assertWelcome(WebPage.get(local));
        }
        assertThat(forward.stderr())
            .contains("offering Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io")
            .contains("falling back to SPDY/3.1: the tunnel's upgrade was refused")
            .contains(
                "101 Switching Protocols: chose X-Stream-Protocol-Version: portforward.k8s.io");
      }
      assertThat(Files.readString(cluster.home().resolve("logs/apiserver.log")))
          .contains("(splice SPDY/3.1 portforward.k8s.io)")
          .doesNotContain("tunneled websocket");
    }
  }
}
