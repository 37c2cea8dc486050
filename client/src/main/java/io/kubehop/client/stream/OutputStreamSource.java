package io.kubehop.client.stream;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * A {@link ReadStream} that a blocking thread writes as an {@link OutputStream}: the bridge from a
 * blocking producer such as a tar writer to a remote command's stdin (read on the event loop).
 *
 * <p>Small writes (a tar writer emits 512-byte records) are gathered into chunks of {@value #CHUNK}
 * bytes, so the wire sees few large frames. Buffering is bounded: a write blocks while {@link
 * #DEFAULT_MAX_QUEUED} bytes wait to be delivered, and delivery stops while the stream is paused (a
 * pipe pauses it when the connection's write queue is full). {@link #cancel} releases a blocked
 * writer with an {@link IOException}, for when the remote end has gone.
 */
public final class OutputStreamSource implements ReadStream<Buffer> {

  /** The size of the chunks handed to the event loop. */
  public static final int CHUNK = 64 << 10;

  /** How many bytes may wait for delivery before a write blocks. */
  public static final int DEFAULT_MAX_QUEUED = 1 << 20;

  private final Context context;
  private final Object lock = new Object();
  private final Output output = new Output();
  // Guarded by lock.
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private long queued;
  private boolean closed;
  private boolean cancelled;
  private boolean endDelivered;
  private boolean scheduled;
  private long demand = Long.MAX_VALUE;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  // Writer thread only.
  private Buffer pending;

  /** A source that delivers on {@code context}. */
  public OutputStreamSource(Context context) {
    this.context = context;
  }

  /** The blocking side; closing it ends the stream. */
  public OutputStream outputStream() {
    return output;
  }

  /** Fails the writer's current and later writes: nobody will read what it writes. */
  public void cancel() {
    synchronized (lock) {
      cancelled = true;
      queue.clear();
      queued = 0;
      lock.notifyAll();
    }
  }

  @Override
  public OutputStreamSource exceptionHandler(Handler<Throwable> handler) {
    return this; // the writer learns of failures through its own exceptions
  }

  @Override
  public OutputStreamSource handler(Handler<Buffer> handler) {
    synchronized (lock) {
      this.handler = handler;
    }
    schedule();
    return this;
  }

  @Override
  public OutputStreamSource pause() {
    synchronized (lock) {
      demand = 0;
    }
    return this;
  }

  @Override
  public OutputStreamSource resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public OutputStreamSource fetch(long amount) {
    synchronized (lock) {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    }
    schedule();
    return this;
  }

  @Override
  public OutputStreamSource endHandler(Handler<Void> endHandler) {
    synchronized (lock) {
      this.endHandler = endHandler;
    }
    schedule();
    return this;
  }

  private void schedule() {
    synchronized (lock) {
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    context.runOnContext(v -> deliver());
  }

  /** Hands queued chunks (then the end) to the handler while there is demand; on the context. */
  private void deliver() {
    synchronized (lock) {
      scheduled = false;
    }
    while (true) {
      Buffer next;
      Handler<Buffer> to;
      Handler<Void> end = null;
      synchronized (lock) {
        to = handler;
        if (to == null || demand == 0) {
          return;
        }
        next = queue.pollFirst();
        if (next != null) {
          queued -= next.length();
          if (demand != Long.MAX_VALUE) {
            demand--;
          }
          lock.notifyAll();
        } else if (closed && !endDelivered && endHandler != null) {
          endDelivered = true;
          end = endHandler;
        } else {
          return;
        }
      }
      if (next != null) {
        to.handle(next);
      } else {
        end.handle(null);
        return;
      }
    }
  }

  private void enqueue(Buffer chunk) throws IOException {
    synchronized (lock) {
      while (queued >= DEFAULT_MAX_QUEUED && !cancelled) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for the remote end");
        }
      }
      if (cancelled) {
        throw new IOException("the remote end is gone");
      }
      queue.addLast(chunk);
      queued += chunk.length();
    }
    schedule();
  }

  private final class Output extends OutputStream {

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int at = off;
      int left = len;
      while (left > 0) {
        if (pending == null) {
          pending = Buffer.buffer(CHUNK);
        }
        int n = Math.min(left, CHUNK - pending.length());
        pending.appendBytes(b, at, n);
        at += n;
        left -= n;
        if (pending.length() == CHUNK) {
          Buffer full = pending;
          pending = null;
          enqueue(full);
        }
      }
    }

    @Override
    public void flush() throws IOException {
      if (pending != null && pending.length() > 0) {
        Buffer partial = pending;
        pending = null;
        enqueue(partial);
      }
    }

    @Override
    public void close() throws IOException {
      synchronized (lock) {
        if (closed) {
          return;
        }
      }
      flush();
      synchronized (lock) {
        closed = true;
      }
      schedule();
    }
  }
}
