package io.kubehop.runtime.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.testkit.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutputPumpTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    Await.await(vertx.close());
  }

  /** Hands out at most 4 KiB per read, as a pipe fed by busybox does; available() is exact. */
  private static InputStream smallReads(int size) {
    return new ByteArrayInputStream(new byte[size]) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 4096));
      }
    };
  }

  private List<Integer> chunks(InputStream in) throws Exception {
    Context context = vertx.getOrCreateContext();
    Recording stream = new Recording();
    OutputPump pump = OutputPump.start("pump-test", in, new StreamSink(context, stream));
    Await.await(pump.done());
    return stream.sizes;
  }

  @Test
  void bulkOutputGrowsTheChunksTo128KiB() throws Exception {
    // each full buffer doubles the next, from 8 KiB: five reads to full-size chunks
    assertEquals(
        List.of(8192, 16384, 32768, 65536, 131072, 131072, 131072, 8192),
        chunks(smallReads(512 * 1024)));
  }

  @Test
  void theTailBeforeEndOfFileIsHandedOverWhole() throws Exception {
    assertEquals(List.of(5_000), chunks(smallReads(5_000)));
  }

  @Test
  void interactiveOutputKeepsTheFirstBuffer() throws Exception {
    // a terminal's few bytes at a time never fill 8 KiB: the buffer never grows, however long
    int reads = 100;
    InputStream typed =
        new InputStream() {
          int left = reads;

          @Override
          public int read() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int read(byte[] b, int off, int len) {
            assertEquals(OutputPump.FIRST_BUFFER_SIZE, b.length);
            return left-- > 0 ? 3 : -1;
          }
        };
    List<Integer> sizes = chunks(typed);
    assertEquals(reads, sizes.size());
  }

  /** Records the size of each write. */
  private static final class Recording implements WriteStream<Buffer> {
    final List<Integer> sizes = new CopyOnWriteArrayList<>();

    @Override
    public Future<Void> write(Buffer data) {
      sizes.add(data.length());
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
