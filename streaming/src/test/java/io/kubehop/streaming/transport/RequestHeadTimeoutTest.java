package io.kubehop.streaming.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A first request head that does not arrive in time closes the connection; a complete one not. */
class RequestHeadTimeoutTest {

  private static final Duration TIMEOUT = Duration.ofMillis(300);
  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer(PostUpgrades.configure(new HttpServerOptions().setHost("127.0.0.1")))
            .connectionHandler(c -> RequestHeadTimeout.install(c, TIMEOUT))
            .requestHandler(req -> req.response().end("ok"));
    server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anUnfinishedHeadIsClosedWithoutAnAnswer() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a".getBytes());
      long start = System.nanoTime();
      assertEquals(-1, socket.getInputStream().read(), "closed without a byte of answer");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis >= 250 && millis < 5_000, "closed after " + millis + " ms");
    }
  }

  @Test
  void aSilentConnectionIsClosedToo() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      assertEquals(-1, socket.getInputStream().read());
    }
  }

  @Test
  void aCompleteHeadDisarmsIt() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
      String answer = readAnswer(in);
      assertTrue(answer.startsWith("HTTP/1.1 200 OK"), answer);
      // three timeouts later the connection still serves a request
      socket.setSoTimeout((int) TIMEOUT.multipliedBy(3).toMillis());
      assertThrows(SocketTimeoutException.class, in::read);
      socket.setSoTimeout(10_000);
      out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
      assertTrue(readAnswer(in).startsWith("HTTP/1.1 200 OK"));
    }
  }

  @Test
  void zeroMeansNoTimeout() throws Exception {
    HttpServer plain =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
            .connectionHandler(c -> RequestHeadTimeout.install(c, Duration.ZERO))
            .requestHandler(req -> req.response().end("ok"));
    plain.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (Socket socket = new Socket("127.0.0.1", plain.actualPort())) {
      socket.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes());
      socket.setSoTimeout((int) TIMEOUT.multipliedBy(3).toMillis());
      assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
    }
  }

  /** The status line, headers and the two-byte body "ok". */
  private static String readAnswer(InputStream in) throws Exception {
    StringBuilder text = new StringBuilder();
    while (!text.toString().endsWith("\r\n\r\nok")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      text.append((char) b);
    }
    return text.toString();
  }
}
