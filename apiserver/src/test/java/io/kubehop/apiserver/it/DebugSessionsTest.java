package io.kubehop.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.testkit.Await;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apiserver's session ids and {@code GET /debug/sessions?id=}, against a fake kubelet that
 * answers every upgrade with a SPDY 101 and then holds the connection until the test drops it.
 */
class DebugSessionsTest {

  private static final Pattern SESSION_HEADER =
      Pattern.compile("\r\nX-Kubehop-Session: ([^\r]*)\r\n");

  @TempDir Path tmp;
  private TestApiServer api;
  private int kubeletPort;
  private final BlockingQueue<NetSocket> kubeletSockets = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    api = new TestApiServer(tmp);
    kubeletPort = FakeKubelet.listen(api.vertx, kubeletSockets::add);
    assertEquals(
        201, api.post("/api/v1/nodes", FakeKubelet.readyNode("node-1", kubeletPort)).statusCode());
    assertEquals(
        201,
        api.post(
                "/api/v1/namespaces/default/pods",
                "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"demo\"},"
                    + "\"spec\":{\"nodeName\":\"node-1\",\"schedulerName\":\"elsewhere\","
                    + "\"containers\":[{\"name\":\"main\",\"image\":\"busybox\"}]}}")
            .statusCode());
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** A SPDY exec upgrade with {@code session} (or none), as kubectl sends it; returns the head. */
  private static String upgrade(Socket socket, String session) throws IOException {
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(
            ("POST /api/v1/namespaces/default/pods/demo/exec?command=cat&container=main&stdin=true"
                    + "&stdout=true HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                    + "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                    + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                    + (session == null ? "" : "X-Kubehop-Session: " + session + "\r\n")
                    + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static String echoedId(String head) {
    Matcher m = SESSION_HEADER.matcher(head);
    assertTrue(head.startsWith("HTTP/1.1 101 "), head);
    assertTrue(m.find(), head);
    return m.group(1);
  }

  private JsonNode session(String id) throws Exception {
    HttpResponse<String> r = api.get("/debug/sessions?id=" + id);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    return ApiJson.mapper().readTree(r.body());
  }

  @Test
  void theClientsIdIsKeptEchoedAndItsSessionReportedUntilTheKubeletGoesAway() throws Exception {
    try (Socket client = new Socket("127.0.0.1", api.server.port())) {
      assertEquals("cli-0123456789abcdef", echoedId(upgrade(client, "cli-0123456789abcdef")));
      NetSocket kubelet = kubeletSockets.poll(10, TimeUnit.SECONDS);
      Await.until(
          "the session registered",
          () -> api.server.hops().find("cli-0123456789abcdef").isPresent());

      JsonNode open = session("cli-0123456789abcdef");
      assertEquals("cli-0123456789abcdef", open.path("id").asText());
      assertEquals("exec", open.path("kind").asText());
      assertEquals("default", open.path("namespace").asText());
      assertEquals("demo", open.path("pod").asText());
      assertEquals("main", open.path("container").asText());
      assertEquals("open", open.path("state").asText());
      assertTrue(
          open.path("openedAt")
              .asText()
              .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
          open.toString());
      assertTrue(open.path("durationMillis").isIntegralNumber(), open.toString());
      JsonNode toKubelet = open.path("hops").get(1);
      assertEquals("kubelet", toKubelet.path("peer").asText(), open.toString());
      assertEquals("node-1", toKubelet.path("node").asText());
      assertEquals("127.0.1.1:" + kubeletPort, toKubelet.path("remote").asText());
      assertEquals("client", open.path("hops").get(0).path("peer").asText());
      assertEquals(
          "127.0.0.1:" + client.getLocalPort(), open.path("hops").get(0).path("remote").asText());
      assertFalse(open.has("ended"), open.toString());

      kubelet.close(); // the kubelet goes away mid-session
      assertEquals(-1, client.getInputStream().read(), "the client sees the end");
      Await.until(
          "the session closed",
          () -> {
            try {
              return session("cli-0123456789abcdef").path("state").asText().equals("closed");
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });
      JsonNode closed = session("cli-0123456789abcdef");
      assertEquals("kubelet", closed.path("ended").path("first").asText(), closed.toString());
      assertEquals("closed", closed.path("ended").path("how").asText());
      assertFalse(closed.path("ended").has("status"), "a splice decodes no Status");
      assertEquals(open.path("openedAt"), closed.path("openedAt"));
    }
  }

  @Test
  void anIdInUseOrMalformedIsReplacedByTheApiserversOwn() throws Exception {
    try (Socket first = new Socket("127.0.0.1", api.server.port());
        Socket second = new Socket("127.0.0.1", api.server.port());
        Socket third = new Socket("127.0.0.1", api.server.port());
        Socket fourth = new Socket("127.0.0.1", api.server.port())) {
      assertEquals("cli-aaaaaaaaaaaaaaaa", echoedId(upgrade(first, "cli-aaaaaaaaaaaaaaaa")));
      String duplicate = echoedId(upgrade(second, "cli-aaaaaaaaaaaaaaaa"));
      assertNotEquals("cli-aaaaaaaaaaaaaaaa", duplicate);
      assertTrue(duplicate.matches("[0-9a-f]{16}"), duplicate);
      String malformed = echoedId(upgrade(third, "Not_An_Id"));
      assertTrue(malformed.matches("[0-9a-f]{16}"), malformed);
      String none = echoedId(upgrade(fourth, null));
      assertTrue(none.matches("[0-9a-f]{16}"), none);
      Await.until("four sessions held", () -> api.server.hops().size() == 4);
      assertEquals("cli-aaaaaaaaaaaaaaaa", session("cli-aaaaaaaaaaaaaaaa").path("id").asText());
      assertEquals(duplicate, session(duplicate).path("id").asText());
    }
  }

  @Test
  void anUnknownIdIsANotFoundStatus() throws Exception {
    HttpResponse<String> r = api.get("/debug/sessions?id=cli-ffffffffffffffff");
    assertEquals(404, r.statusCode());
    JsonNode status = ApiJson.mapper().readTree(r.body());
    assertEquals("Status", status.path("kind").asText());
    assertEquals("Failure", status.path("status").asText());
    assertEquals("NotFound", status.path("reason").asText());
    assertEquals(404, status.path("code").asInt());
  }
}
