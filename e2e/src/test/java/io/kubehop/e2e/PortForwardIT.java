package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.OsProcesses;
import io.kubehop.e2e.support.Pods;
import io.kubehop.e2e.support.WebPage;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.RunningCommand;
import io.kubehop.testkit.WebSocketRecorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl port-forward} through all three hops in each wire form: SPDY ({@code
 * portforward.k8s.io}, kubectl 1.29), SPDY tunnelled in WebSocket (1.33, unwrapped at the
 * apiserver), 1.33 falling back to SPDY when the tunnel is refused, and the WebSocket channel form
 * of the Python client ({@code v4.channel.k8s.io}, 2-byte port prefix).
 */
class PortForwardIT {

  /** What the nginx image serves at / (the runtime's NginxServer). */
  private static final String WELCOME = "<title>Welcome to nginx!</title>";

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /** {@code kubectl port-forward pod/web LOCAL:REMOTE…}, once it says it forwards. */
  private static RunningCommand portForward(
      KubehopCluster cluster,
      String minor,
      Map<String, String> env,
      int local,
      String... mappings) {
    Kubectl kubectl = cluster.kubectl(minor);
    env.forEach(kubectl::env);
    List<String> args = new ArrayList<>(List.of("port-forward", "pod/web"));
    args.addAll(List.of(mappings));
    RunningCommand forward = kubectl.start(args.toArray(String[]::new));
    forward.awaitStdout("Forwarding from 127.0.0.1:" + local, Duration.ofSeconds(30));
    return forward;
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

  @Test
  void spdyAndTunnelCarryThousandsOfRequestsAndLeaveNothingBehind() throws Exception {
    try (KubehopCluster cluster = KubehopCluster.up()) {
      new Pods(cluster).startWeb();
      List<String> tiers = List.of("apiserver", "kubelet-node-1", "runtime-node-1");
      Map<String, Long> fds = new HashMap<>();
      Map<String, Long> threads = new HashMap<>();
      int warm = freePort();
      try (RunningCommand forward = portForward(cluster, "1.29", Map.of(), warm, warm + ":80")) {
        assertWelcome(
            WebPage.get(warm)); // warm-up: pools and lazily created threads exist from here on
      }
      for (String tier : tiers) {
        fds.put(tier, OsProcesses.count(cluster.pid(tier), "fd"));
        threads.put(tier, OsProcesses.unpooledThreads(cluster.pid(tier)));
      }

      int spdy = freePort();
      try (RunningCommand forward = portForward(cluster, "1.29", Map.of(), spdy, spdy + ":80")) {
        thousandSequentialAndSixteenConcurrent(spdy);
      }
      int tunnel = freePort();
      try (RunningCommand forward =
          portForward(cluster, "1.33", Map.of(), tunnel, tunnel + ":80")) {
        thousandSequentialAndSixteenConcurrent(tunnel);
      }
      String log = Files.readString(cluster.home().resolve("logs/apiserver.log"));
      assertThat(log)
          .as("1.33 tunnels through the apiserver")
          .contains(
              "(tunneled websocket SPDY/3.1+portforward.k8s.io -> SPDY/3.1 portforward.k8s.io)");
      assertThat(log).as("1.29 speaks SPDY").contains("(splice SPDY/3.1 portforward.k8s.io)");

      for (String tier : tiers) {
        long pid = cluster.pid(tier);
        Await.until(
            tier + " fds back to " + fds.get(tier),
            Duration.ofSeconds(60),
            () -> OsProcesses.count(pid, "fd") <= fds.get(tier) + 4);
        Await.until(
            tier + " threads back to " + threads.get(tier),
            Duration.ofSeconds(60),
            () -> OsProcesses.unpooledThreads(pid) <= threads.get(tier) + 4);
      }
    }
  }

  @Test
  void kubectl133FallsBackToSpdyWhenTheTunnelIsRefused() throws Exception {
    try (KubehopCluster cluster = KubehopCluster.up("--websocket-translation", "off")) {
      new Pods(cluster).startWeb();
      int local = freePort();
      try (RunningCommand forward = portForward(cluster, "1.33", Map.of(), local, local + ":80")) {
        thousandSequentialAndSixteenConcurrent(local);
      }
      assertThat(Files.readString(cluster.home().resolve("logs/apiserver.log")))
          .contains("(splice SPDY/3.1 portforward.k8s.io)")
          .doesNotContain("tunneled websocket");
    }
  }

  @Test
  void inKubeletModeTheKubeletUnwrapsTheTunnel() throws Exception {
    try (KubehopCluster cluster = KubehopCluster.up("--websocket-translation", "kubelet")) {
      new Pods(cluster).startWeb();
      int local = freePort();
      try (RunningCommand forward = portForward(cluster, "1.33", Map.of(), local, local + ":80")) {
        for (int i = 0; i < 100; i++) {
          assertWelcome(WebPage.get(local));
        }
      }
      assertThat(Files.readString(cluster.home().resolve("logs/apiserver.log")))
          .contains("(splice websocket SPDY/3.1+portforward.k8s.io)");
      assertThat(Files.readString(cluster.home().resolve("logs/kubelet-node-1.log")))
          .contains(
              "(tunneled websocket SPDY/3.1+portforward.k8s.io -> SPDY/3.1 portforward.k8s.io)");
    }
  }

  @Test
  void aRefusedConnectionReportsAnErrorAndTheForwardLivesOn() throws Exception {
    try (KubehopCluster cluster = KubehopCluster.up()) {
      new Pods(cluster).startWeb();
      for (String minor : List.of("1.29", "1.33")) {
        int live = freePort();
        int dead = freePort();
        try (RunningCommand forward =
            portForward(cluster, minor, Map.of(), live, live + ":80", dead + ":81")) {
          forward.awaitStdout("Forwarding from 127.0.0.1:" + dead, Duration.ofSeconds(30));
          assertThat(WebPage.get(dead))
              .as("nothing listens on 81 in the pod: that connection closes at once")
              .isEmpty();
          // reported where it cannot kill the forward: any error content makes kubectl drop every
          // connection
          Await.until(
              "the runtime logs the refused connection",
              Duration.ofSeconds(20),
              () -> {
                try {
                  return Files.readString(cluster.home().resolve("logs/runtime-node-1.log"))
                      .contains("error forwarding port 81 to pod ");
                } catch (IOException e) {
                  return false;
                }
              });
          assertWelcome(
              WebPage.get(live)); // kubectl#1169: the forward survives a failed connection
          assertWelcome(WebPage.get(live));
          assertThat(forward.process().isAlive()).isTrue();
        }
      }
    }
  }

  /**
   * The Python client's wire form: a WebSocket offering {@code v4.channel.k8s.io} to {@code
   * portforward?ports=80}; channel 0 carries data and channel 1 errors, each opening with the port
   * as 2 little-endian bytes.
   */
  @Test
  void webSocketV4ChannelsCarryThePortPrefixAndTheData() throws Exception {
    try (KubehopCluster cluster = KubehopCluster.up()) {
      new Pods(cluster).startWeb();
      WebSocketRecorder messages = new WebSocketRecorder();
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .subprotocols("v4.channel.k8s.io")
              .buildAsync(
                  URI.create(
                      "ws://127.0.0.1:"
                          + cluster.apiserverPort()
                          + "/api/v1/namespaces/default/pods/web/portforward?ports=80"),
                  messages)
              .get(30, TimeUnit.SECONDS);
      assertThat(ws.getSubprotocol()).isEqualTo("v4.channel.k8s.io");
      List<byte[]> first =
          List.of(
              messages.nextBinary(Duration.ofSeconds(30)),
              messages.nextBinary(Duration.ofSeconds(30)));
      assertThat(first)
          .anySatisfy(m -> assertThat(m).containsExactly(0x00, 0x50, 0x00))
          .anySatisfy(m -> assertThat(m).containsExactly(0x01, 0x50, 0x00));

      byte[] request = "GET / HTTP/1.0\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      ByteBuffer frame = ByteBuffer.allocate(request.length + 1).put((byte) 0).put(request).flip();
      ws.sendBinary(frame, true).get(10, TimeUnit.SECONDS);
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      Await.until(
          "the whole page on channel 0",
          Duration.ofSeconds(30),
          () -> {
            byte[] m;
            while ((m = messages.pollBinary()) != null) {
              assertThat(m[0]).as("only the data channel speaks").isEqualTo((byte) 0);
              data.write(m, 1, m.length - 1);
            }
            return data.toString(StandardCharsets.UTF_8).contains("</html>");
          });
      String response = data.toString(StandardCharsets.UTF_8);
      assertWelcome(response);
      // HTTP/1.0: nginx closes the pod connection, and with its only port ended the server closes
      // with 1000
      assertThat(messages.closeFuture().get(30, TimeUnit.SECONDS).code())
          .isEqualTo(WebSocket.NORMAL_CLOSURE);
    }
  }
}
