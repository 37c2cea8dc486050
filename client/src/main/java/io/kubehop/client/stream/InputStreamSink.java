package io.kubehop.client.stream;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * A {@link WriteStream} that a blocking thread reads as an {@link InputStream}: the bridge from a
 * remote command's stdout (written on the event loop) to a blocking consumer such as a tar reader.
 *
 * <p>Buffering is bounded: once {@link #writeQueueFull()} has been seen true (a pipe then pauses
 * its source, and with it the connection), the drain handler runs on the stream's context only
 * after the reader has taken the queue down to half. The buffers are queued as they arrive, never
 * copied or merged; the reader copies each byte once, into its own array.
 */
public final class InputStreamSink implements WriteStream<Buffer> {

  /** The high-water mark: 1 MiB, a few network reads' worth. */
  public static final int DEFAULT_MAX_QUEUED = 1 << 20;

  private final Context context;
  private final Object lock = new Object();
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private final Input input = new Input();
  private int maxQueued = DEFAULT_MAX_QUEUED;
  // Guarded by lock.
  private long queued;
  private int headPosition;
  private boolean ended;
  private boolean readerClosed;
  private boolean writerSawFull;
  // Event-loop side only.
  private Handler<Void> drainHandler;

  /** A sink whose drain handler runs on {@code context}. */
  public InputStreamSink(Context context) {
    this.context = context;
  }

  /** The blocking side; reads return -1 once the stream has ended and the queue is empty. */
  public InputStream inputStream() {
    return input;
  }

  @Override
  public InputStreamSink exceptionHandler(Handler<Throwable> handler) {
    return this; // writes never fail: a closed reader discards them
  }

  @Override
  public Future<Void> write(Buffer data) {
    synchronized (lock) {
      if (!readerClosed && !ended && data.length() > 0) {
        queue.addLast(data);
        queued += data.length();
        lock.notifyAll();
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    synchronized (lock) {
      ended = true;
      lock.notifyAll();
    }
    return Future.succeededFuture();
  }

  @Override
  public InputStreamSink setWriteQueueMaxSize(int maxSize) {
    synchronized (lock) {
      maxQueued = Math.max(1, maxSize);
    }
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    synchronized (lock) {
      boolean full = queued >= maxQueued;
      writerSawFull |= full;
      return full;
    }
  }

  @Override
  public InputStreamSink drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  /** Bytes queued and not yet read. */
  public long queuedBytes() {
    synchronized (lock) {
      return queued;
    }
  }

  private void drained() {
    // Scheduled after the writer's current task, so a drain handler it is about to set still runs.
    context.runOnContext(
        v -> {
          Handler<Void> handler = drainHandler;
          if (handler != null) {
            handler.handle(null);
          }
        });
  }

  private final class Input extends InputStream {

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      boolean drain = false;
      int n;
      synchronized (lock) {
        while (queue.isEmpty() && !ended && !readerClosed) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for remote output");
          }
        }
        if (queue.isEmpty()) {
          return -1;
        }
        Buffer head = queue.peekFirst();
        n = Math.min(len, head.length() - headPosition);
        head.getBytes(headPosition, headPosition + n, b, off);
        headPosition += n;
        if (headPosition == head.length()) {
          queue.removeFirst();
          headPosition = 0;
        }
        queued -= n;
        if (writerSawFull && queued <= maxQueued / 2) {
          writerSawFull = false;
          drain = true;
        }
      }
      if (drain) {
        drained();
      }
      return n;
    }

    @Override
    public int available() {
      synchronized (lock) {
        return (int) Math.min(Integer.MAX_VALUE, queued);
      }
    }

    /** Discards what is queued and what comes later, and releases a paused writer. */
    @Override
    public void close() {
      boolean drain;
      synchronized (lock) {
        readerClosed = true;
        queue.clear();
        queued = 0;
        drain = writerSawFull;
        writerSawFull = false;
        lock.notifyAll();
      }
      if (drain) {
        drained();
      }
    }
  }
}
