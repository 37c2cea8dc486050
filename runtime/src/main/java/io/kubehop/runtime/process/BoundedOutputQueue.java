package io.kubehop.runtime.process;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * An {@link OutputListener} that hands chunks to a consumer on another thread through a buffer of
 * at most {@code capacityBytes}. When it is full, the producer (the pipe reader) waits, so a slow
 * attacher backpressures the container instead of making the runtime buffer without bound. Closing
 * the queue (the attacher detached) releases a waiting producer and drops further chunks.
 */
public final class BoundedOutputQueue implements OutputListener {

  /** One queued chunk; {@code chunk == null} marks the end of output. */
  public record Chunk(StreamType stream, byte[] chunk) {}

  private final int capacityBytes;
  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
  private int queuedBytes;
  private boolean closed;

  public BoundedOutputQueue(int capacityBytes) {
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("capacityBytes must be positive: " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
  }

  @Override
  public synchronized void onOutput(StreamType stream, byte[] chunk) {
    // a chunk larger than the whole capacity is still accepted once the queue is empty
    while (!closed && queuedBytes > 0 && queuedBytes + chunk.length > capacityBytes) {
      waitUninterruptibly();
    }
    if (closed) {
      return;
    }
    chunks.add(new Chunk(stream, chunk));
    queuedBytes += chunk.length;
    notifyAll();
  }

  @Override
  public synchronized void onEnd() {
    chunks.add(new Chunk(null, null));
    notifyAll();
  }

  /** Takes the next chunk, waiting up to the timeout; null on timeout or once closed. */
  public synchronized Chunk poll(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (chunks.isEmpty() && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    Chunk next = chunks.poll();
    if (next != null && next.chunk() != null) {
      queuedBytes -= next.chunk().length;
      notifyAll();
    }
    return next;
  }

  /** Bytes waiting for the consumer. */
  public synchronized int queuedBytes() {
    return queuedBytes;
  }

  /** Detaches the consumer: a waiting producer continues and later chunks are dropped. */
  public synchronized void close() {
    closed = true;
    chunks.clear();
    queuedBytes = 0;
    notifyAll();
  }

  private void waitUninterruptibly() {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }
}
