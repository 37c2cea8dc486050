package io.kubehop.streaming.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A raw-socket POST upgrade, as kubectl sends it, reaches {@code toNetSocket()} with no byte lost.
 */
class PostUpgradesTest {

  private Vertx vertx;
  private HttpServer server;
  private final CompletableFuture<String> method = new CompletableFuture<>();

  /**
   * Milliseconds the server waits before taking the socket over (a kubelet first talks to the
   * runtime).
   */
  private volatile long delayMillis;

  private volatile boolean refuse;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx.createHttpServer(
            PostUpgrades.configure(new HttpServerOptions().setHost("127.0.0.1")));
    PostUpgrades.install(server);
    server.requestHandler(
        req -> {
          method.complete(
              PostUpgrades.method(req) + " " + req.getHeader(PostUpgrades.ORIGINAL_METHOD_HEADER));
          if (refuse) {
            req.response().setStatusCode(403).end("no\n");
            return;
          }
          req.response().putHeader("Connection", "Upgrade").putHeader("Upgrade", "SPDY/3.1");
          Runnable upgrade =
              () -> req.toNetSocket().onSuccess(socket -> socket.handler(socket::write)); // echo
          if (delayMillis == 0) {
            upgrade.run();
          } else {
            vertx.setTimer(delayMillis, t -> upgrade.run());
          }
        });
    server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void postUpgradeReachesToNetSocketAndKeepsBytesSentWithTheHead() throws Exception {
    upgradeAndEcho();
  }

  @Test
  void bytesSentWithTheHeadSurviveALateToNetSocket() throws Exception {
    delayMillis = 300;
    upgradeAndEcho();
  }

  @Test
  void refusedUpgradeAnswersAndClosesTheConnection() throws Exception {
    refuse = true;
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST /exec/abc HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                      + "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n\u0080\u0003\u0000\u0001")
                  .getBytes(StandardCharsets.ISO_8859_1));
      String all =
          new String(
              socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1); // until close
      assertTrue(all.startsWith("HTTP/1.1 403 Forbidden\r\n"), all);
      assertTrue(all.endsWith("\r\n\r\nno\n"), all);
    }
  }

  @Test
  void ordinaryRequestsOnTheSameServerAreUntouched() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      refuse = true; // the handler answers 403 "no" without upgrading
      OutputStream out = socket.getOutputStream();
      String h2c =
          "GET /api HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
              + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
      out.write(
          (h2c + h2c)
              .getBytes(StandardCharsets.US_ASCII)); // keep-alive: both answered on one connection
      InputStream in = socket.getInputStream();
      for (int i = 0; i < 2; i++) {
        assertTrue(readHead(in).startsWith("HTTP/1.1 403 Forbidden\r\n"));
        assertEquals("no\n", new String(in.readNBytes(3), StandardCharsets.US_ASCII));
      }
    }
    assertEquals("GET null", method.get(5, TimeUnit.SECONDS));
  }

  private void upgradeAndEcho() throws Exception {
    String head =
        "POST /exec/abc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: Upgrade\r\n"
            + "Upgrade: SPDY/3.1\r\nX-Kubehop-Original-Method: PUT\r\n\r\n";
    byte[] early = "EARLY-BYTES-IN-THE-SAME-SEGMENT".getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      out.write(
          Buffer.buffer(head)
              .appendBytes(early)
              .getBytes()); // one write: head and payload together
      out.flush();
      InputStream in = socket.getInputStream();
      String response = readHead(in);
      assertTrue(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), response);
      assertTrue(response.contains("Upgrade: SPDY/3.1"), response);
      assertEquals(
          new String(early, StandardCharsets.US_ASCII),
          new String(in.readNBytes(early.length), StandardCharsets.US_ASCII));
      out.write("LATER".getBytes(StandardCharsets.US_ASCII));
      assertEquals("LATER", new String(in.readNBytes(5), StandardCharsets.US_ASCII));
    }
    assertEquals("POST POST", method.get(5, TimeUnit.SECONDS));
  }

  static String readHead(InputStream in) throws Exception {
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
}
