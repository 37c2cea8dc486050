package io.kubehop.client.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.remotecommand.TerminalSize;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CLI's local stream adapters: back-pressure, exact bytes, and the order of sizes. */
class LocalStreamsTest {

  final Vertx vertx = Vertx.vertx();
  final Context context = vertx.getOrCreateContext();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** A channel that takes nothing until released, then everything. */
  static final class GatedChannel implements WritableByteChannel {
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    final CountDownLatch gate = new CountDownLatch(1);

    @Override
    public int write(ByteBuffer src) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      int n = src.remaining();
      byte[] b = new byte[n];
      src.get(b);
      synchronized (written) {
        written.write(b, 0, n);
      }
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  void writeStreamFillsDrainsAndKeepsEveryByte() throws Exception {
    GatedChannel channel = new GatedChannel();
    ChannelWriteStream out = new ChannelWriteStream(context, channel, "test-out");
    out.setWriteQueueMaxSize(64 * 1024);
    byte[] data = new byte[256 * 1024];
    new Random(1).nextBytes(data);
    CompletableFuture<Boolean> fullBeforeRelease = new CompletableFuture<>();
    CompletableFuture<Void> drained = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          for (int i = 0; i < data.length; i += 16 * 1024) {
            out.write(Buffer.buffer(java.util.Arrays.copyOfRange(data, i, i + 16 * 1024)));
          }
          boolean full = out.writeQueueFull();
          out.drainHandler(x -> drained.complete(null));
          fullBeforeRelease.complete(full);
        });
    assertTrue(fullBeforeRelease.get(5, TimeUnit.SECONDS));
    assertFalse(drained.isDone());
    channel.gate.countDown();
    drained.get(5, TimeUnit.SECONDS);
    CompletableFuture<Void> ended = new CompletableFuture<>();
    context.runOnContext(v -> out.end().onComplete(ar -> ended.complete(null)));
    ended.get(5, TimeUnit.SECONDS);
    assertArrayEquals(data, channel.written.toByteArray());
  }

  @Test
  void pausedReadStreamReadsNoFurther() throws Exception {
    PipedOutputStream feed = new PipedOutputStream();
    InputStream in = new PipedInputStream(feed, 1 << 20);
    InputReadStream stdin = new InputReadStream(context, in, "test-in");
    List<String> got = new CopyOnWriteArrayList<>();
    Promise<Void> ended = Promise.promise();
    CountDownLatch first = new CountDownLatch(1);
    context.runOnContext(
        v -> {
          stdin.handler(
              b -> {
                got.add(b.toString());
                if (got.size() == 1) {
                  stdin.pause();
                  first.countDown();
                }
              });
          stdin.endHandler(x -> ended.complete());
        });
    feed.write("one".getBytes());
    feed.flush();
    assertTrue(first.await(5, TimeUnit.SECONDS));
    feed.write("two".getBytes());
    feed.close();
    // Paused: the reader may hold one chunk, but delivers nothing and does not end.
    assertFalse(waitFor(ended, 300));
    assertEquals(List.of("one"), got);
    context.runOnContext(v -> stdin.resume());
    assertTrue(waitFor(ended, 5000));
    assertEquals(List.of("one", "two"), got);
  }

  @Test
  void resizeStreamSendsInitialSizesFirstAndSkipsRepeats() throws Exception {
    ResizeStream sizes =
        new ResizeStream(context, List.of(new TerminalSize(101, 31), new TerminalSize(100, 30)));
    List<String> got = new CopyOnWriteArrayList<>();
    CountDownLatch three = new CountDownLatch(3);
    context.runOnContext(
        v ->
            sizes.handler(
                b -> {
                  got.add(b.toString());
                  three.countDown();
                }));
    sizes.resized(new TerminalSize(100, 30));
    sizes.resized(new TerminalSize(132, 43));
    assertTrue(three.await(5, TimeUnit.SECONDS));
    assertEquals(
        List.of(
            "{\"Width\":101,\"Height\":31}\n",
            "{\"Width\":100,\"Height\":30}\n",
            "{\"Width\":132,\"Height\":43}\n"),
        got);
  }

  private static boolean waitFor(Promise<Void> p, long millis) throws Exception {
    try {
      p.future().toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    }
  }
}
