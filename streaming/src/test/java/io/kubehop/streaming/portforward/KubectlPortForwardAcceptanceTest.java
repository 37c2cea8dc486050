package io.kubehop.streaming.portforward;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kubehop.streaming.transport.PostUpgrades;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubeconfigs;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.RunningCommand;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real kubectl over SPDY ({@code KUBECTL_PORT_FORWARD_WEBSOCKETS=false}, which 1.27/1.29 ignore)
 * against a small apiserver whose {@code pods/x/portforward} is served by {@link PortForwardServer}
 * directly, toward a {@link FakePod}. A missing binary fails the test under CI=true and skips it
 * otherwise ({@link Kubectl}).
 */
class KubectlPortForwardAcceptanceTest {

  private static final String POD_PATH = "/api/v1/namespaces/default/pods/x";
  private static final String RESOURCES =
      "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
          + "{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"get\",\"list\"],"
          + "\"shortNames\":[\"po\"],\"categories\":[\"all\"]},"
          + "{\"name\":\"pods/portforward\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"PodPortForwardOptions\","
          + "\"verbs\":[\"create\",\"get\"]}]}";
  private static final String POD =
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\","
          + "\"namespace\":\"default\",\"uid\":\"uid-x\"},\"spec\":{\"containers\":[{\"name\":\"main\","
          + "\"image\":\"busybox\"}]},\"status\":{\"phase\":\"Running\"}}";

  private static Vertx vertx;
  private static FakePod pod;
  private static final List<String> upgrades = new CopyOnWriteArrayList<>();
  @TempDir static Path home;
  private RunningCommand kubectl;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    pod = new FakePod(vertx);
    HttpServer server =
        vertx.createHttpServer(
            PostUpgrades.configure(new HttpServerOptions().setHost("127.0.0.1")));
    PostUpgrades.install(server);
    server.requestHandler(KubectlPortForwardAcceptanceTest::handle);
    int port = await(server.listen(0)).actualPort();
    Kubeconfigs.write(home.resolve("kubeconfig"), "http://127.0.0.1:" + port);
  }

  private static void handle(HttpServerRequest req) {
    switch (req.path()) {
      case "/api" -> json(req, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}");
      case "/apis" -> json(req, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}");
      case "/api/v1" -> json(req, RESOURCES);
      case POD_PATH -> json(req, POD);
      case POD_PATH + "/portforward" -> {
        upgrades.add(req.getHeader("Upgrade")); // PostUpgrades presents the POST as a GET
        new PortForwardServer(vertx).serve(req, "x", "uid-x", pod.dialer());
      }
      default ->
          req.response()
              .setStatusCode(404)
              .putHeader("Content-Type", "application/json")
              .end(
                  "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                      + "\"message\":\"not found\",\"reason\":\"NotFound\",\"code\":404}");
    }
  }

  private static void json(HttpServerRequest req, String body) {
    req.response().putHeader("Content-Type", "application/json").end(body);
  }

  @AfterEach
  void stopKubectl() throws Exception {
    if (kubectl != null && kubectl.process().isAlive()) {
      kubectl.close();
      kubectl.awaitExit(Duration.ofSeconds(10));
    }
    upgrades.clear();
  }

  @AfterAll
  static void stop() throws Exception {
    pod.close();
    await(vertx.close());
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.29", "1.33"})
  void fetchesThroughTheForward(String version) throws Exception {
    int local = freePort();
    forward(version, local + ":" + FakePod.HTTP);
    assertEquals(FakePod.HTTP_BODY, get(local));
    assertEquals(
        FakePod.HTTP_BODY,
        get(local)); // a second connection: requestid 1 on the same SPDY connection
    assertEquals(List.of("SPDY/3.1"), upgrades);
  }

  /**
   * kubectl 1.33 at its default first asks for the SPDY-over-WebSocket tunnel ({@code
   * SPDY/3.1+portforward.k8s.io}, no {@code port} parameter); served here directly, that is a
   * legacy WebSocket request without ports, refused with 400, and kubectl falls back to the SPDY
   * POST.
   */
  @Test
  void kubectl133DefaultFallsBackToSpdy() throws Exception {
    int local = freePort();
    forward("1.33", true, local + ":" + FakePod.HTTP);
    assertEquals(FakePod.HTTP_BODY, get(local));
    assertEquals(List.of("websocket", "SPDY/3.1"), upgrades);
  }

  /**
   * A connection the pod resets leaves the error stream empty, so kubectl keeps forwarding
   * (kubectl#1169).
   */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.29", "1.33"})
  void resetThenWorking(String version) throws Exception {
    int resetting = freePort();
    int http = freePort();
    forward(version, resetting + ":" + FakePod.RESET, http + ":" + FakePod.HTTP);
    try {
      get(resetting);
      fail("the reset connection returned a response");
    } catch (IOException expected) {
      // the pod reset it: curl-like clients see the connection end without a response
    }
    assertEquals(FakePod.HTTP_BODY, get(http));
    assertTrue(kubectl.process().isAlive(), kubectl.stderr());
    assertTrue(!kubectl.stderr().contains("lost connection"), kubectl.stderr());
  }

  /**
   * A refused port closes that local connection at once and nothing else: kubectl keeps forwarding,
   * and the next connection works (kubectl#1169; any error content would make client-go drop the
   * whole forward).
   */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.29", "1.33"})
  void refusedPortClosesThatConnectionAndKubectlForwardsOn(String version) throws Exception {
    int refused = freePort();
    int http = freePort();
    forward(version, refused + ":" + FakePod.REFUSED, http + ":" + FakePod.HTTP);
    try {
      get(refused);
      fail("a refused port returned a response");
    } catch (IOException expected) {
      // kubectl closes the local connection without data
    }
    assertEquals(FakePod.HTTP_BODY, get(http));
    assertTrue(kubectl.process().isAlive(), kubectl.stderr());
    assertTrue(!kubectl.stderr().contains("lost connection"), kubectl.stderr());
  }

  /**
   * A pod that is gone is reported on the error stream in upstream's plain text; kubectl logs it
   * and, as every client-go since kubernetes#103526 does on any error content, closes the
   * connection and exits. (Tried while choosing the format: a JSON line {@code
   * {"closeConnection":false,…}} made 1.27, 1.29, 1.31 and 1.33 exit the same way.)
   */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.29", "1.33"})
  void aGonePodIsReportedAndKubectlStops(String version) throws Exception {
    int gone = freePort();
    forward(version, gone + ":" + FakePod.GONE);
    try {
      get(gone);
      fail("a gone pod returned a response");
    } catch (IOException expected) {
      // kubectl closes the local connection
    }
    assertTrue(
        kubectl.awaitExit(Duration.ofSeconds(30)),
        "kubectl did not exit; stderr: " + kubectl.stderr());
    String err = kubectl.stderr();
    assertTrue(
        err.contains(
            "an error occurred forwarding "
                + gone
                + " -> 85: error forwarding port 85 to pod x, "
                + "uid uid-x: pod sandbox x is gone"),
        err);
    assertTrue(err.contains("lost connection to pod"), err);
  }

  private void forward(String version, String... mappings) throws Exception {
    forward(version, false, mappings);
  }

  private void forward(String version, boolean defaultEnvironment, String... mappings) {
    List<String> args = new ArrayList<>(List.of("port-forward", "--address", "127.0.0.1", "pod/x"));
    args.addAll(List.of(mappings));
    Kubectl forwarder =
        new Kubectl(version, home.resolve("kubeconfig"), home.resolve("cache-" + version));
    if (!defaultEnvironment) {
      forwarder.env("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false");
    }
    kubectl = forwarder.start(args.toArray(String[]::new));
    for (String m : mappings) {
      String line = "Forwarding from 127.0.0.1:" + m.replace(":", " -> ");
      Await.until(
          "'" + line + "'", () -> kubectl.stdout().contains(line) || !kubectl.process().isAlive());
      assertTrue(
          kubectl.stdout().contains(line),
          "stdout: " + kubectl.stdout() + " stderr: " + kubectl.stderr());
    }
  }

  private static String get(int localPort) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> resp =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + localPort + "/"))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertEquals(200, resp.statusCode());
    return resp.body();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
