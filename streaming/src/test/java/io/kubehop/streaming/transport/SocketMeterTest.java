package io.kubehop.streaming.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A socket's meter against a real TCP peer: exact bytes, a reading's start, the half-closes. */
class SocketMeterTest {

  private Vertx vertx;
  private int port;
  private final BlockingQueue<NetSocket> accepted = new LinkedBlockingQueue<>();
  private final AtomicBoolean inputShut = new AtomicBoolean();
  private volatile boolean halfClosure = true;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    port =
        vertx
            .createNetServer()
            .connectHandler(
                s -> {
                  s.pause();
                  if (halfClosure) {
                    VertxInternals.allowHalfClosure(s, () -> inputShut.set(true));
                  }
                  accepted.add(s);
                })
            .listen(0, "127.0.0.1")
            .await()
            .actualPort();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /**
   * A reading made on the socket's event loop, as the tiers make theirs: in place at once (made
   * from another thread it starts when the loop gets to it).
   */
  private static SocketMeter.Reading onItsLoop(NetSocket socket) throws Exception {
    io.netty.channel.Channel channel = VertxInternals.channel(socket).orElseThrow();
    return channel.eventLoop().submit(() -> SocketMeter.on(channel)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void countsEveryByteEachWayFromWhenTheReadingBegan() throws Exception {
    try (Socket peer = new Socket("127.0.0.1", port)) {
      NetSocket socket = accepted.poll(10, TimeUnit.SECONDS);
      Buffer got = Buffer.buffer();
      socket.handler(got::appendBuffer);
      socket.resume();
      OutputStream out = peer.getOutputStream();
      out.write(new byte[1000]); // before the first reading
      Await.until("1000 bytes read", () -> got.length() == 1000);

      SocketMeter.Reading reading = onItsLoop(socket);
      SocketMeter.Reading again = onItsLoop(socket);
      out.write(new byte[70_000]);
      socket.write(Buffer.buffer(new byte[12_345])).await();
      InputStream in = peer.getInputStream();
      assertEquals(12_345, in.readNBytes(12_345).length);
      Await.until("70000 more bytes read", () -> got.length() == 71_000);

      assertEquals(70_000, reading.bytesIn());
      assertEquals(12_345, reading.bytesOut());
      assertEquals(70_000, again.bytesIn(), "one meter per socket, however many readings");
      assertTrue(reading.idle().compareTo(Duration.ofSeconds(10)) < 0);
      assertEquals(Optional.empty(), reading.halfClosed());
      assertTrue(reading.open());
      assertFalse(reading.tls(), "plain TCP");
    }
  }

  @Test
  void saysWhichDirectionWasShutDown() throws Exception {
    try (Socket peer = new Socket("127.0.0.1", port)) {
      NetSocket socket = accepted.poll(10, TimeUnit.SECONDS);
      socket.handler(b -> {});
      socket.resume();
      SocketMeter.Reading reading = onItsLoop(socket);

      peer.shutdownOutput(); // the peer's FIN: this end may still write
      Await.until("the FIN read", inputShut::get);
      assertEquals(Optional.of("in"), reading.halfClosed());

      LingeringClose.halfClose(socket, Duration.ofSeconds(30)); // and this end's FIN
      assertEquals(-1, peer.getInputStream().read());
      Await.until(
          "both directions shut, or the socket closed",
          () -> !reading.open() || reading.halfClosed().equals(Optional.of("both")));
    }
  }

  @Test
  void aLingeringCloseIsHalfClosedOut() throws Exception {
    halfClosure = false; // as the tiers' spliced sockets: the peer's FIN closes the socket
    try (Socket peer = new Socket("127.0.0.1", port)) {
      NetSocket socket = accepted.poll(10, TimeUnit.SECONDS);
      SocketMeter.Reading reading = onItsLoop(socket);
      socket.resume();
      LingeringClose.halfClose(socket, Duration.ofSeconds(30));
      assertEquals(-1, peer.getInputStream().read(), "this end's FIN");
      assertEquals(Optional.of("out"), reading.halfClosed(), "and it still reads");

      peer.close();
      Await.until("closed once the peer closes", () -> !reading.open());
      assertFalse(reading.halfClosed().isPresent(), "a closed socket is not half-closed");
    }
  }
}
