package io.kubehop.streaming.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.transport.SocketMeter;
import io.kubehop.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each fault on a real loopback socket: the tier's side is a Vert.x socket with the handler behind
 * its meter, the peer a plain {@link Socket} that sees what a peer across the network would. Rates
 * and delays are measured against the clock, with tolerances that say what is promised.
 */
class FaultHandlerTest {

  private static final Hop HOP = Hop.APISERVER_KUBELET;

  private Vertx vertx;
  private int port;
  private final BlockingQueue<NetSocket> accepted = new LinkedBlockingQueue<>();
  private final FaultTable table = new FaultTable();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    port =
        vertx
            .createNetServer()
            .connectHandler(
                s -> {
                  s.pause();
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
   * The accepted socket of {@code peer}, faulted as session {@code s1}'s socket toward a backend.
   */
  private NetSocket faulted(boolean readsTowardClient) throws Exception {
    NetSocket socket = accepted.poll(10, TimeUnit.SECONDS);
    SocketMeter.Reading meter = SocketMeter.on(socket).orElseThrow();
    FaultHandler.on(meter, table, HOP, "s1", readsTowardClient);
    Await.until(
        "the fault handler in place",
        () -> meter.channel().pipeline().get(FaultHandler.NAME) != null);
    return socket;
  }

  private FaultRule add(Fault fault) {
    return table.add(new FaultRule("", HOP, Optional.empty(), fault, java.time.Instant.now()));
  }

  private static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + i / 251);
    }
    return b;
  }

  /** The test's end of the socket; a read that waits 30 s fails the test instead of hanging it. */
  private Socket peer() throws Exception {
    Socket peer = new Socket("127.0.0.1", port);
    peer.setSoTimeout(30_000);
    return peer;
  }

  private static int readFully(InputStream in, byte[] into) throws Exception {
    int got = 0;
    while (got < into.length) {
      int n = in.read(into, got, into.length - got);
      if (n < 0) {
        break;
      }
      got += n;
    }
    return got;
  }

  /** Writes {@code data} on {@code socket}'s loop with back-pressure (as a splice does). */
  private void send(NetSocket socket, byte[] data, AtomicBoolean sawFull) {
    vertx.runOnContext(
        v -> {
          int chunk = 16 * 1024;
          new Object() {
            int at;

            void next() {
              while (at < data.length) {
                int n = Math.min(chunk, data.length - at);
                socket.write(Buffer.buffer(java.util.Arrays.copyOfRange(data, at, at + n)));
                at += n;
                if (socket.writeQueueFull()) {
                  sawFull.set(true);
                  socket.drainHandler(d -> next());
                  return;
                }
              }
            }
          }.next();
        });
  }

  @Test
  void withoutARuleBytesPassAtOnceBothWays() throws Exception {
    try (Socket peer = peer()) {
      NetSocket socket = faulted(true);
      Buffer got = Buffer.buffer();
      socket.handler(got::appendBuffer);
      socket.resume();
      peer.getOutputStream().write(pattern(100_000));
      Await.until("100000 bytes read", () -> got.length() == 100_000);
      assertArrayEquals(pattern(100_000), got.getBytes());
      socket.write(Buffer.buffer(pattern(50_000)));
      byte[] back = new byte[50_000];
      assertEquals(50_000, readFully(peer.getInputStream(), back));
      assertArrayEquals(pattern(50_000), back);
    }
  }

  @Test
  void latencyDelaysEachWayAndKeepsTheOrder() throws Exception {
    add(new Fault.Latency(Duration.ofMillis(300)));
    try (Socket peer = peer()) {
      NetSocket socket = faulted(true);
      Buffer got = Buffer.buffer();
      AtomicLong firstAt = new AtomicLong();
      socket.handler(
          b -> {
            firstAt.compareAndSet(0, System.nanoTime());
            got.appendBuffer(b);
          });
      socket.resume();
      long sent = System.nanoTime();
      peer.getOutputStream().write("one,".getBytes());
      peer.getOutputStream().write("two,".getBytes());
      peer.getOutputStream().write("three".getBytes());
      Await.until("13 bytes read", () -> got.length() == 13);
      assertEquals("one,two,three", got.toString());
      long inMillis = (firstAt.get() - sent) / 1_000_000;
      assertTrue(inMillis >= 300 && inMillis < 1000, "read after " + inMillis + " ms");

      long wrote = System.nanoTime();
      socket.write("back");
      byte[] back = new byte[4];
      assertEquals(4, readFully(peer.getInputStream(), back));
      long outMillis = (System.nanoTime() - wrote) / 1_000_000;
      assertEquals("back", new String(back));
      assertTrue(outMillis >= 300 && outMillis < 1000, "written after " + outMillis + " ms");
    }
  }

  @Test
  void bandwidthCapsEachWayAndPushesBackOnTheWriter() throws Exception {
    add(new Fault.Bandwidth(1 << 20)); // 1 MiB/s
    try (Socket peer = peer()) {
      NetSocket socket = faulted(true);
      AtomicBoolean sawFull = new AtomicBoolean();
      byte[] data = pattern(2 << 20);
      long start = System.nanoTime();
      send(socket, data, sawFull);
      byte[] got = new byte[data.length];
      assertEquals(data.length, readFully(peer.getInputStream(), got));
      double outSeconds = (System.nanoTime() - start) / 1e9;
      assertArrayEquals(data, got);
      // 2 MiB at 1 MiB/s: 2 s, less the first 50 ms' burst
      assertTrue(outSeconds > 1.8 && outSeconds < 2.6, "2 MiB written in " + outSeconds + " s");
      assertTrue(sawFull.get(), "the writer saw writeQueueFull() while writes were held");

      AtomicLong read = new AtomicLong();
      socket.handler(b -> read.addAndGet(b.length()));
      socket.resume();
      long inStart = System.nanoTime();
      peer.getOutputStream().write(pattern(1 << 20));
      Await.until("1 MiB read", Duration.ofSeconds(10), () -> read.get() == 1 << 20);
      double inSeconds = (System.nanoTime() - inStart) / 1e9;
      assertTrue(inSeconds > 0.85 && inSeconds < 1.5, "1 MiB read in " + inSeconds + " s");
    }
  }

  @Test
  void aSlowReaderTakesTheBackendsBytesSlowlyAndSendsAtFullSpeed() throws Exception {
    add(new Fault.SlowReader(256 * 1024));
    try (Socket peer = peer()) {
      NetSocket socket = faulted(true); // toward a backend: its reads are the slow ones
      AtomicLong read = new AtomicLong();
      socket.handler(b -> read.addAndGet(b.length()));
      socket.resume();
      long start = System.nanoTime();
      peer.getOutputStream().write(pattern(256 * 1024));
      Await.until("256 KiB read", Duration.ofSeconds(10), () -> read.get() == 256 * 1024);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds > 0.85 && seconds < 1.5, "256 KiB read in " + seconds + " s");

      long wrote = System.nanoTime();
      socket.write(Buffer.buffer(pattern(1 << 20)));
      byte[] back = new byte[1 << 20];
      assertEquals(1 << 20, readFully(peer.getInputStream(), back));
      double outSeconds = (System.nanoTime() - wrote) / 1e9;
      assertTrue(outSeconds < 0.5, "1 MiB written in " + outSeconds + " s");
    }
  }

  @Test
  void aResetAfterBytesSendsRstToThePeer() throws Exception {
    add(Fault.Reset.afterBytes(64 * 1024));
    try (Socket peer = peer()) {
      NetSocket socket = faulted(true);
      AtomicBoolean closed = new AtomicBoolean();
      socket.closeHandler(v -> closed.set(true));
      send(socket, pattern(4 << 20), new AtomicBoolean());
      InputStream in = peer.getInputStream();
      byte[] buf = new byte[8192];
      AtomicLong got = new AtomicLong();
      SocketException reset =
          assertThrows(
              SocketException.class,
              () -> {
                for (int n; (n = in.read(buf)) >= 0; ) {
                  got.addAndGet(n);
                }
              });
      assertEquals("Connection reset", reset.getMessage());
      assertTrue(got.get() < 4 << 20, "read " + got.get() + " bytes before the reset");
      Await.until("the tier's socket closed", closed::get);
      assertEquals(1, table.events(HOP, "reset"));
    }
  }

  @Test
  void aResetAfterATimeSendsRstThen() throws Exception {
    add(Fault.Reset.afterTime(Duration.ofMillis(400)));
    try (Socket peer = peer()) {
      long start = System.nanoTime();
      faulted(true);
      SocketException reset =
          assertThrows(SocketException.class, () -> peer.getInputStream().read());
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals("Connection reset", reset.getMessage());
      assertTrue(millis >= 400 && millis < 2000, "reset after " + millis + " ms");
    }
  }

  @Test
  void anIdleCutClosesAfterTheIdleTimeOnly() throws Exception {
    add(new Fault.IdleCut(Duration.ofMillis(500)));
    try (Socket peer = peer()) {
      NetSocket socket = faulted(true);
      socket.handler(b -> {});
      socket.resume();
      // activity keeps it: a byte every 200 ms for a second
      long start = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        peer.getOutputStream().write(1);
        Thread.sleep(200); // the traffic's own pace, not a synchronisation
      }
      long lastByte = System.nanoTime();
      assertEquals(-1, peer.getInputStream().read(), "a FIN, not a reset");
      long idleMillis = (System.nanoTime() - lastByte) / 1_000_000;
      assertTrue((System.nanoTime() - start) / 1_000_000 >= 1000);
      assertTrue(idleMillis >= 250 && idleMillis < 2000, "cut after " + idleMillis + " ms idle");
      assertEquals(1, table.events(HOP, "idle-cut"));
    }
  }

  @Test
  void aStallMovesNothingKeepsTheSocketAndClearingResumes() throws Exception {
    FaultRule stall = add(new Fault.Stall());
    try (Socket peer = peer()) {
      NetSocket socket = faulted(true);
      Buffer got = Buffer.buffer();
      socket.handler(got::appendBuffer);
      socket.resume();
      peer.getOutputStream().write("held".getBytes());
      socket.write("back");
      assertFalse(Await.within(Duration.ofMillis(700), () -> got.length() > 0), "nothing read");
      peer.setSoTimeout(300);
      assertThrows(java.net.SocketTimeoutException.class, () -> peer.getInputStream().read());
      assertTrue(SocketMeter.on(socket).orElseThrow().open(), "the socket stays open");

      assertTrue(table.remove(stall.id()));
      Await.until("the held bytes read", () -> got.toString().equals("held"));
      peer.setSoTimeout(5000);
      byte[] back = new byte[4];
      assertEquals(4, readFully(peer.getInputStream(), back));
      assertEquals("back", new String(back));
    }
  }

  @Test
  void aRuleForAnotherSessionOrHopLeavesTheSocketAlone() throws Exception {
    table.add(
        new FaultRule("", HOP, Optional.of("s2"), new Fault.Stall(), java.time.Instant.now()));
    table.add(
        new FaultRule(
            "",
            Hop.CLIENT_APISERVER,
            Optional.empty(),
            new Fault.Stall(),
            java.time.Instant.now()));
    try (Socket peer = peer()) {
      NetSocket socket = faulted(true);
      Buffer got = Buffer.buffer();
      socket.handler(got::appendBuffer);
      socket.resume();
      peer.getOutputStream().write("free".getBytes());
      Await.until("the bytes read", () -> got.toString().equals("free"));
    }
  }
}
