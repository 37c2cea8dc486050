package io.kubehop.streaming.spdy;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kubehop.streaming.transport.DuplexTransport;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.io.DataInputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SpdySession#keepalive}: a server session's PINGs as bytes on the wire (even ids, 2, 4, …),
 * what they do to the idle timeout (they count, as every frame does in spdystream), and that they
 * stop with the session.
 */
class SpdyKeepaliveTest {

  private Vertx vertx;
  private Socket socket;
  private DataInputStream in;
  private final Promise<SpdySession> session = Promise.promise();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                s ->
                    session.complete(
                        SpdySession.start(vertx, DuplexTransport.of(s), SpdySession.Role.SERVER)));
    int port = await(server.listen(0, "127.0.0.1")).actualPort();
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
  }

  @AfterEach
  void stop() throws Exception {
    socket.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private String nextFrameHex(int length) throws Exception {
    byte[] frame = new byte[length];
    in.readFully(frame);
    return HexFormat.of().formatHex(frame);
  }

  @Test
  void sendsPingsWithEvenIdsAndEchoesTheClients() throws Exception {
    await(session.future()).keepalive(Duration.ofMillis(50));
    // control bit + version 3, type 6 (PING), flags 0, length 4, id
    assertEquals("800300060000000400000002", nextFrameHex(12));
    assertEquals("800300060000000400000004", nextFrameHex(12));
    socket.getOutputStream().write(HexFormat.of().parseHex("800300060000000400000001"));
    String echoOrPing = nextFrameHex(12);
    while (!echoOrPing.equals("800300060000000400000001")) { // our PINGs may come first
      assertEquals("80030006000000040000", echoOrPing.substring(0, 20));
      echoOrPing = nextFrameHex(12);
    }
  }

  @Test
  void pingsCountAsActivityForTheIdleTimeoutAsInSpdystream() throws Exception {
    SpdySession s = await(session.future());
    s.idleTimeout(Duration.ofMillis(200)).keepalive(Duration.ofMillis(40));
    for (int i = 1; i <= 15; i++) { // 15 PINGs take ~600 ms: three idle timeouts
      assertEquals(String.format("8003000600000004%08x", 2 * i), nextFrameHex(12));
    }
    assertFalse(s.closeFuture().isComplete());
    assertFalse(s.idleExpired());
  }

  @Test
  void stopsWithTheSession() throws Exception {
    SpdySession s = await(session.future()).keepalive(Duration.ofMillis(30));
    assertEquals("800300060000000400000002", nextFrameHex(12));
    s.close();
    String frame = nextFrameHex(12);
    while (frame.startsWith("80030006")) { // PINGs already on the way
      frame = nextFrameHex(12);
    }
    // GOAWAY(last good stream 0, OK), then EOF once the lingering server gives up on us or we
    // leave: nothing after the GOAWAY.
    assertEquals("800300070000000800000000", frame);
    assertEquals("00000000", nextFrameHex(4));
    socket
        .getOutputStream()
        .write(HexFormat.of().parseHex("800300070000000800000000" + "00000000"));
    assertEquals(-1, in.read());
  }
}
