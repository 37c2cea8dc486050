package io.kubehop.streaming.spdy;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.httpstream.Stream;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** No SPDY flow control: back-pressure must travel through TCP, and memory must stay bounded. */
class SpdyBackpressureTest {

  private static final int CHUNK = 64 * 1024;
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * A paused consumer stops the server reading its socket, so the client's TCP write queue fills
   * up.
   */
  @Test
  void pausedConsumerStopsSocketReads() throws Exception {
    Promise<Stream> serverStream = Promise.promise();
    SessionPair pair =
        SessionPair.connect(
            vertx,
            server ->
                server.newStreamHandler(
                    s -> {
                      s.pause();
                      s.handler(b -> {});
                      serverStream.complete(s);
                    }));
    Stream client = await(pair.client.createStream(HeaderBlock.of("streamtype", "stdin")));
    SpdyStream server = (SpdyStream) await(serverStream.future());
    Promise<Long> sentUntilFull = Promise.promise();
    vertx.runOnContext(v -> writeUntilFull(client, 0, sentUntilFull));
    long sent = await(sentUntilFull.future());
    // Bounded: the server queued at most its bound plus one socket read; the rest sits in TCP
    // buffers.
    long queued = await(pair.server.openStreamIds().map(ids -> server.queuedBytes()));
    assertTrue(queued <= SpdyStream.HIGH_WATER + 2L * CHUNK, "queued " + queued);
    assertTrue(sent > queued, "sent " + sent);
    Promise<Long> received = Promise.promise();
    AtomicLong count = new AtomicLong();
    server.handler(
        b -> {
          if (count.addAndGet(b.length()) == sent) {
            received.complete(count.get());
          }
        });
    server.resume();
    assertEquals(sent, await(received.future()));
  }

  private void writeUntilFull(Stream s, long sent, Promise<Long> done) {
    if (sent > 512L * 1024 * 1024) {
      done.fail("the write queue never filled: the server keeps reading a paused stream");
      return;
    }
    if (s.writeQueueFull()) {
      done.complete(sent);
      return;
    }
    s.write(Buffer.buffer(new byte[CHUNK]));
    vertx.runOnContext(
        v -> writeUntilFull(s, sent + CHUNK, done)); // let the event loop flush between writes
  }

  /**
   * 64 MiB server → client to a slow reader: every byte arrives, the reader's queue stays small.
   */
  @Test
  void largeTransferToSlowReaderIsCompleteAndBounded() throws Exception {
    long total = 64L * 1024 * 1024;
    Promise<Long> sentCrc = Promise.promise();
    SessionPair pair =
        SessionPair.connect(
            vertx,
            server ->
                server.newStreamHandler(
                    s -> {
                      s.handler(b -> {});
                      CRC32 crc = new CRC32();
                      pump(s, 0, total, crc, sentCrc);
                    }));
    Stream stream = await(pair.client.createStream(HeaderBlock.of("streamtype", "stdout")));
    SpdyStream client = (SpdyStream) stream;
    Promise<Long> receivedCrc = Promise.promise();
    CRC32 crc = new CRC32();
    AtomicLong bytes = new AtomicLong();
    AtomicLong maxQueued = new AtomicLong();
    AtomicLong chunks = new AtomicLong();
    client.handler(
        b -> {
          crc.update(b.getBytes());
          bytes.addAndGet(b.length());
          maxQueued.accumulateAndGet(client.queuedBytes(), Math::max);
          if (chunks.incrementAndGet() % 8
              == 0) { // a slow consumer: every 8th chunk it pauses for 2 ms
            client.pause();
            vertx.setTimer(2, t -> client.resume());
          }
        });
    client.endHandler(v -> receivedCrc.complete(crc.getValue()));
    assertEquals(await(sentCrc.future()), await(receivedCrc.future()));
    assertEquals(total, bytes.get());
    assertTrue(
        maxQueued.get() <= SpdyStream.HIGH_WATER + 4L * CHUNK, "max queued " + maxQueued.get());
  }

  /** Writes {@code total} patterned bytes honouring writeQueueFull/drainHandler, then FIN. */
  private static void pump(Stream s, long sent, long total, CRC32 crc, Promise<Long> done) {
    while (sent < total && !s.writeQueueFull()) {
      byte[] chunk = new byte[CHUNK];
      for (int i = 0; i < CHUNK; i++) {
        chunk[i] = (byte) ((sent + i) * 31 >>> 3);
      }
      crc.update(chunk);
      s.write(Buffer.buffer(chunk));
      sent += CHUNK;
    }
    if (sent >= total) {
      s.end();
      done.complete(crc.getValue());
      return;
    }
    long at = sent;
    s.drainHandler(
        v -> {
          s.drainHandler(null);
          pump(s, at, total, crc, done);
        });
  }
}
