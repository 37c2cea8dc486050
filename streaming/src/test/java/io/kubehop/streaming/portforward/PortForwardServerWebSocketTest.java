package io.kubehop.streaming.portforward;

import static io.kubehop.testkit.Await.await;
import static io.kubehop.testkit.WebSocketRecorder.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.testkit.Await;
import io.kubehop.testkit.WebSocketRecorder;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The legacy WebSocket port-forward: port prefixes, channels 2i/2i+1, one pod connection per port.
 */
class PortForwardServerWebSocketTest {

  private Vertx vertx;
  private FakePod pod;
  private WebSocketClient client;
  private int port;
  private ClientWebSocket ws;
  private WebSocketRecorder rec;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    pod = new FakePod(vertx);
    client = vertx.createWebSocketClient();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"));
    server.requestHandler(
        req -> new PortForwardServer(vertx).serve(req, "pod-x", "uid-1", pod.dialer()));
    port = await(server.listen(0)).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    pod.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void connect(String query, String... protocols) throws Exception {
    ws = client.webSocket();
    rec = new WebSocketRecorder(ws);
    await(
        ws.connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/portforward/x?" + query)
                .setSubProtocols(List.of(protocols))));
  }

  @Test
  void binaryV4TwoPorts() throws Exception {
    connect("port=80,81", "v4.channel.k8s.io");
    assertEquals("v4.channel.k8s.io", ws.subProtocol());
    Await.until("the port prefixes; got " + rec.events, () -> rec.events.size() >= 4);
    assertEquals(List.of("B 005000", "B 015000", "B 025100", "B 035100"), rec.events.subList(0, 4));
    ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 0).appendString("hello"));
    Await.until("the echo; got " + rec.events, () -> rec.events.size() >= 5);
    assertEquals("B 00" + hex("hello"), rec.events.get(4));
    await(ws.close());
    rec.awaitClosed();
  }

  @Test
  void base64V4() throws Exception {
    connect("port=80", "v4.base64.channel.k8s.io");
    assertEquals("v4.base64.channel.k8s.io", ws.subProtocol());
    Await.until("the port prefixes; got " + rec.events, () -> rec.events.size() >= 2);
    assertEquals(List.of("T 0UAA=", "T 1UAA="), rec.events.subList(0, 2));
    ws.writeTextMessage("0aGk="); // "hi"
    Await.until("the echo; got " + rec.events, () -> rec.events.size() >= 3);
    assertEquals("T 0aGk=", rec.events.get(2));
  }

  /**
   * No subprotocol at all is binary; a pod that closes ends its port, and the last port closes with
   * 1000.
   */
  @Test
  void noSubprotocolIsBinaryAndThePodsEofClosesTheWebSocket() throws Exception {
    connect("port=8080");
    Await.until("the port prefixes; got " + rec.events, () -> rec.events.size() >= 2);
    assertEquals(List.of("B 00901f", "B 01901f"), rec.events.subList(0, 2));
    ws.writeBinaryMessage(
        Buffer.buffer().appendByte((byte) 0).appendString("GET / HTTP/1.0\r\n\r\n"));
    rec.awaitClosed();
    String response =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
            + FakePod.HTTP_BODY.length()
            + "\r\nConnection: close\r\n\r\n"
            + FakePod.HTTP_BODY;
    StringBuilder data = new StringBuilder();
    for (String e : rec.events.subList(2, rec.events.size() - 1)) {
      assertTrue(e.startsWith("B 00"), e);
      data.append(e.substring(4));
    }
    assertEquals(hex(response), data.toString());
    assertEquals("close 1000", rec.events.get(rec.events.size() - 1));
  }

  /** 64 MiB from the pod arrive intact, in messages of at most 32 KiB payload, before the close. */
  @Test
  void largeTransferFromThePodIsComplete() throws Exception {
    ClientWebSocket big = client.webSocket();
    long[] received = {0};
    boolean[] intact = {true};
    int[] prefixes = {0};
    Promise<Integer> closed = Promise.promise();
    big.binaryMessageHandler(
        m -> {
          int channel = m.getUnsignedByte(0);
          if (prefixes[0] < 2) {
            prefixes[0]++;
            intact[0] &= m.length() == 3 && m.getUnsignedShortLE(1) == FakePod.SOURCE;
            return;
          }
          intact[0] &= channel == 0 && m.length() <= 1 + 32 * 1024;
          for (int i = 1; i < m.length(); i++) {
            intact[0] &= m.getByte(i) == FakePod.sourceByte(received[0] + i - 1);
          }
          received[0] += m.length() - 1;
        });
    big.closeHandler(v -> closed.complete((int) big.closeStatusCode()));
    await(
        big.connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/portforward/x?port=" + FakePod.SOURCE)
                .setSubProtocols(List.of("v4.channel.k8s.io"))));
    assertEquals(1000, await(closed.future()));
    assertEquals(FakePod.SOURCE_SIZE, received[0]);
    assertTrue(intact[0]);
  }

  @Test
  void refusedPortIsReportedOnItsErrorChannel() throws Exception {
    connect("port=82&port=80", "v4.channel.k8s.io");
    Await.until("the prefixes and the error; got " + rec.events, () -> rec.events.size() >= 5);
    assertEquals(List.of("B 005200", "B 015200", "B 025000", "B 035000"), rec.events.subList(0, 4));
    String error = new String(HexFormat.of().parseHex(rec.events.get(4).substring(4)));
    assertTrue(rec.events.get(4).startsWith("B 01"), rec.events.get(4));
    assertTrue(error.startsWith("error forwarding port 82 to pod pod-x, uid uid-1: "), error);
    ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 2).appendString("still"));
    Await.until("the echo; got " + rec.events, () -> rec.events.size() >= 6);
    assertEquals("B 02" + hex("still"), rec.events.get(5));
  }

  @Test
  void badPortsAre400() throws Exception {
    List<String> got = new ArrayList<>();
    for (String query : List.of("", "?port=", "?port=x", "?port=0")) {
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () ->
                  await(
                      client.connect(
                          new WebSocketConnectOptions()
                              .setHost("127.0.0.1")
                              .setPort(port)
                              .setURI("/portforward/x" + query))));
      UpgradeRejectedException rejected = (UpgradeRejectedException) e.getCause();
      got.add(rejected.getStatus() + " " + rejected.getBody());
    }
    assertEquals(
        List.of(
            "400 query parameter \"port\" is required",
            "400 query parameter \"port\" cannot be empty",
            "400 unable to parse \"x\" as a port: strconv.ParseUint: parsing \"x\": invalid syntax",
            "400 port \"0\" must be > 0"),
        got);
  }
}
