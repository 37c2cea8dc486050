package io.kubehop.client.stream;

import io.kubehop.streaming.transport.VertxInternals;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link WriteStream} onto a local channel (the CLI's stdout or stderr) that writes on a thread
 * of its own, so a slow terminal or pipe never blocks the event loop. Buffers are queued as they
 * are (no copy) and written with one gathering write per batch; the queue is bounded by bytes:
 * {@link #writeQueueFull()} turns true at {@code maxQueuedBytes} and the drain handler runs, on the
 * event loop, once the writer has brought it under half of that. The channel is not closed at the
 * end (fd 1 and 2 outlive the session); {@link #end()} completes once every byte was written.
 */
public final class ChannelWriteStream implements WriteStream<Buffer> {

  /** What a session keeps in memory per output at most before it pauses the remote side. */
  public static final int DEFAULT_MAX_QUEUED_BYTES = 4 << 20;

  private record Item(Buffer data, Promise<Void> written) {}

  private final Context context;
  private final WritableByteChannel channel;
  private final Object lock = new Object();
  private final ArrayDeque<Item> queue = new ArrayDeque<>(); // guarded by lock
  private long queuedBytes; // guarded by lock
  private boolean drainWanted; // guarded by lock
  private boolean ending; // guarded by lock
  private Throwable failure; // guarded by lock
  private int maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
  private final Promise<Void> ended;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  /**
   * @param context where handlers and write results run (the session's event loop)
   * @param name the writer thread's name
   */
  public ChannelWriteStream(Context context, WritableByteChannel channel, String name) {
    this.context = context;
    this.channel = channel;
    this.ended = Promise.promise();
    Thread writer = new Thread(this::writeLoop, name);
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public ChannelWriteStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    Promise<Void> written = Promise.promise();
    synchronized (lock) {
      if (failure != null || ending) {
        written.fail(failure != null ? failure : new IllegalStateException("stream ended"));
        return written.future();
      }
      queue.add(new Item(data, written));
      queuedBytes += data.length();
      lock.notifyAll();
    }
    return written.future();
  }

  @Override
  public Future<Void> end() {
    synchronized (lock) {
      ending = true;
      lock.notifyAll();
    }
    return ended.future();
  }

  /** Completes when every queued byte was written (or writing failed), whether or not ended. */
  public Future<Void> ended() {
    return ended.future();
  }

  @Override
  public ChannelWriteStream setWriteQueueMaxSize(int maxSize) {
    this.maxQueuedBytes = maxSize;
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    synchronized (lock) {
      boolean full = queuedBytes >= maxQueuedBytes;
      if (full) {
        drainWanted = true;
      }
      return full;
    }
  }

  @Override
  public ChannelWriteStream drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  private void writeLoop() {
    List<Item> batch = new ArrayList<>();
    while (true) {
      boolean last;
      synchronized (lock) {
        while (queue.isEmpty() && !ending) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        batch.addAll(queue);
        queue.clear();
        last = ending;
      }
      Throwable error = writeAll(batch);
      long written = batch.stream().mapToLong(i -> i.data().length()).sum();
      boolean drain;
      synchronized (lock) {
        queuedBytes -= written;
        drain = drainWanted && queuedBytes < maxQueuedBytes / 2;
        if (drain) {
          drainWanted = false;
        }
        if (error != null) {
          failure = error;
          last = true;
        } else {
          last = last && queue.isEmpty();
        }
      }
      List<Item> done = List.copyOf(batch);
      batch.clear();
      boolean finished = last;
      context.runOnContext(v -> afterBatch(done, error, drain, finished));
      if (finished) {
        return;
      }
    }
  }

  private Throwable writeAll(List<Item> batch) {
    if (batch.isEmpty()) {
      return null;
    }
    List<ByteBuffer> buffers = new ArrayList<>();
    for (Item item : batch) {
      buffers.addAll(List.of(VertxInternals.nioBuffers(item.data())));
    }
    ByteBuffer[] all = buffers.toArray(ByteBuffer[]::new);
    try {
      if (channel instanceof GatheringByteChannel gathering) {
        int first = 0;
        while (first < all.length) {
          gathering.write(all, first, all.length - first);
          while (first < all.length && !all[first].hasRemaining()) {
            first++;
          }
        }
      } else {
        for (ByteBuffer b : all) {
          while (b.hasRemaining()) {
            channel.write(b);
          }
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return e;
    }
  }

  private void afterBatch(List<Item> done, Throwable error, boolean drain, boolean finished) {
    for (Item item : done) {
      if (error == null) {
        item.written().tryComplete();
      } else {
        item.written().tryFail(error);
      }
    }
    if (error != null && exceptionHandler != null) {
      exceptionHandler.handle(error);
    }
    if (drain && drainHandler != null) {
      drainHandler.handle(null);
    }
    if (finished) {
      if (error == null) {
        ended.tryComplete();
      } else {
        ended.tryFail(error);
      }
    }
  }
}
