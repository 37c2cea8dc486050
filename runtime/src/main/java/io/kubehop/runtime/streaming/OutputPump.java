package io.kubehop.runtime.streaming;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies one output stream of an exec'd process (a pipe, or the PTY master) into a {@link
 * StreamSink} on a thread of its own: reads block, and a full sink blocks the thread, never the
 * event loop. {@link #done()} completes on the sink's context once the stream hit end of file (or
 * failed, or the sink closed) and everything read was handed to the sink. The thread ends with the
 * stream.
 */
final class OutputPump {

  private static final Logger LOG = Logger.getLogger(OutputPump.class.getName());

  /**
   * One chunk is one SPDY frame, and one write and wake-up on every hop: 128 KiB (socat's -b in the
   * throughput benchmark) took 1 GiB through three hops to kubectl 1.29 in 2.9 s where 32 KiB took
   * 3.1 to 3.5 s, on 2 cores.
   */
  private static final int CHUNK_SIZE = 128 * 1024;

  /**
   * Where the buffer starts: an interactive session reads a few bytes at a time and never needs
   * more, and a 128 KiB buffer per stream was most of the runtime's heap per held session. A read
   * that fills the buffer doubles it, up to {@link #CHUNK_SIZE}, so bulk output reaches full chunks
   * within a few reads.
   */
  static final int FIRST_BUFFER_SIZE = 8 * 1024;

  private final Promise<Void> done = Promise.promise();

  /**
   * When the thread last got bytes from the process (or started); read by the drain-after-exit
   * check.
   */
  private volatile long lastReadNanos = System.nanoTime();

  private volatile boolean reading;

  private OutputPump() {}

  /** Starts copying {@code in} into {@code sink} on a new daemon thread named {@code name}. */
  static OutputPump start(String name, InputStream in, StreamSink sink) {
    OutputPump pump = new OutputPump();
    Thread thread = new Thread(() -> pump.copy(in, sink, name), name);
    thread.setDaemon(true);
    thread.start();
    return pump;
  }

  private void copy(InputStream in, StreamSink sink, String name) {
    byte[] buffer = new byte[FIRST_BUFFER_SIZE];
    try (in) {
      while (true) {
        reading = true;
        int n = in.read(buffer);
        reading = false;
        lastReadNanos = System.nanoTime();
        boolean end = n < 0;
        // Take along what the process has written meanwhile, up to a chunk: busybox and many
        // others write 4 KiB at a time, and a frame per 4 KiB costs a write, a wake-up and a read
        // on every hop up to the client, which made bulk output CPU-bound at a third of the speed.
        while (n > 0 && n < buffer.length && available(in) > 0) {
          int more = in.read(buffer, n, buffer.length - n);
          if (more < 0) {
            end = true;
            break;
          }
          n += more;
        }
        if (n > 0 && !sink.write(buffer, n)) {
          break;
        }
        if (n == buffer.length && buffer.length < CHUNK_SIZE) {
          buffer = new byte[Math.min(CHUNK_SIZE, buffer.length * 2)];
        }
        if (end) {
          break;
        }
      }
    } catch (IOException e) {
      // a PTY master reports EIO once the terminal is gone: that is its end of file
      LOG.log(Level.FINE, name + " ended: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      reading = false;
      // completes after the sink's last hand-over, which was queued on the same context before this
      sink.flushed().onComplete(ar -> done.tryComplete());
    }
  }

  /** Bytes readable without blocking; 0 where the stream cannot tell. */
  private static int available(InputStream in) {
    try {
      return in.available();
    } catch (IOException e) {
      return 0; // the next read reports the real state
    }
  }

  /** Completes once the stream ended and all of it reached the sink. */
  Future<Void> done() {
    return done.future();
  }

  /**
   * True when the thread has been waiting in a read for longer than {@code millis}: after the
   * process exited this means a background child holds the stream open without writing, and the
   * session need not wait for it.
   */
  boolean idleInReadFor(long millis) {
    return reading && System.nanoTime() - lastReadNanos > millis * 1_000_000L;
  }
}
