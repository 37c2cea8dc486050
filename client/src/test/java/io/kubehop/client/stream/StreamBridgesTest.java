package io.kubehop.client.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.testkit.Await;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bounded bridges between the event loop and a blocking tar thread: bytes arrive whole and in
 * order, and neither side holds more than its high-water mark (plus one chunk) however much flows.
 */
class StreamBridgesTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void aSinkReportsFullAtItsMarkAndDrainsAtHalf() throws Exception {
    InputStreamSink sink = new InputStreamSink(context);
    AtomicBoolean drained = new AtomicBoolean();
    CompletableFuture<Integer> writes = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          int n = 0;
          while (!sink.writeQueueFull()) {
            sink.write(Buffer.buffer(new byte[64 << 10]));
            n++;
          }
          sink.drainHandler(x -> drained.set(true));
          writes.complete(n);
        });
    assertEquals(16, writes.get()); // 16 × 64 KiB = the 1 MiB mark
    InputStream in = sink.inputStream();
    in.readNBytes((512 << 10) - 1);
    assertFalse(Await.within(Duration.ofMillis(200), drained::get));
    in.readNBytes(1);
    Await.until("the drain handler ran", drained::get);
    assertEquals(512 << 10, sink.queuedBytes());
  }

  @Test
  void aSinkPipedFromALargeSourceNeverHoldsMoreThanItsMark() throws Exception {
    InputStreamSink sink = new InputStreamSink(context);
    OutputStreamSource source = new OutputStreamSource(context);
    AtomicLong peak = new AtomicLong();
    context.runOnContext(v -> source.pipeTo(sink));
    byte[] data = new byte[32 << 20];
    new Random(7).nextBytes(data);
    Thread writer =
        new Thread(
            () -> {
              try (OutputStream out = source.outputStream()) {
                for (int i = 0; i < data.length; i += 512) {
                  out.write(data, i, 512); // a tar writer's records
                }
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            });
    writer.start();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    InputStream in = sink.inputStream();
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      peak.accumulateAndGet(sink.queuedBytes(), Math::max);
      got.write(buffer, 0, n);
    }
    writer.join();
    assertArrayEquals(data, got.toByteArray());
    assertTrue(
        peak.get() <= InputStreamSink.DEFAULT_MAX_QUEUED + OutputStreamSource.CHUNK,
        "peak " + peak.get());
  }

  @Test
  void aPausedSourceBlocksItsWriterAtTheMark() throws Exception {
    OutputStreamSource source = new OutputStreamSource(context);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    Promise<Void> ended = Promise.promise();
    context.runOnContext(
        v -> {
          source.pause();
          source.handler(b -> got.writeBytes(b.getBytes()));
          source.endHandler(x -> ended.complete());
        });
    AtomicLong written = new AtomicLong();
    Thread writer =
        new Thread(
            () -> {
              try (OutputStream out = source.outputStream()) {
                byte[] chunk = new byte[OutputStreamSource.CHUNK];
                for (int i = 0; i < 64; i++) {
                  out.write(chunk);
                  written.addAndGet(chunk.length);
                }
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            });
    writer.start();
    Await.until(
        "the writer blocks", () -> writer.getState() == Thread.State.WAITING && written.get() > 0);
    assertEquals(OutputStreamSource.DEFAULT_MAX_QUEUED, written.get());
    context.runOnContext(v -> source.resume());
    Await.await(ended.future());
    writer.join();
    assertEquals(64L * OutputStreamSource.CHUNK, got.size());
  }

  @Test
  void aCancelledSourceFailsItsBlockedWriter() throws Exception {
    OutputStreamSource source = new OutputStreamSource(context);
    context.runOnContext(v -> source.pause().handler(b -> {}));
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread writer =
        new Thread(
            () -> {
              try (OutputStream out = source.outputStream()) {
                out.write(new byte[4 << 20]);
                failure.complete(null);
              } catch (IOException e) {
                failure.complete(e);
              }
            });
    writer.start();
    Await.until("the writer blocks", () -> writer.getState() == Thread.State.WAITING);
    source.cancel();
    assertEquals("the remote end is gone", failure.get().getMessage());
  }

  @Test
  void aClosedReaderDiscardsAndReleasesTheWriter() throws Exception {
    InputStreamSink sink = new InputStreamSink(context);
    sink.write(Buffer.buffer("abc"));
    sink.inputStream().close();
    assertEquals(0, sink.queuedBytes());
    sink.write(Buffer.buffer("def"));
    assertEquals(-1, sink.inputStream().read());
  }
}
