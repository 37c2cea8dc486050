package io.kubehop.streaming.portforward;

import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.transport.VertxInternals;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies a port-forward data stream and the pod connection both ways (the runtime's {@code
 * PortForward} copy loops).
 *
 * <p>Back-pressure: each direction pauses its source while the destination's write queue is full
 * and resumes it on drain, so nothing queues without bound. Half-close: the client's FIN shuts down
 * the socket's output once what came before it is written (the pod reads EOF and can still answer,
 * as with {@code echo ruok | nc}); the pod's EOF ends the data stream with FIN. A client reset
 * closes the socket.
 */
final class Splice {

  private static final Logger LOG = Logger.getLogger(Splice.class.getName());

  private Splice() {
    throw new AssertionError("No instances.");
  }

  /**
   * Starts copying; completes at the pod's end (after every byte before it went to the data stream,
   * then FIN), or fails with the socket's error (e.g. a reset). The caller closes the rest.
   */
  static Future<Void> run(Stream data, NetSocket socket) {
    Promise<Void> done = Promise.promise();
    Throwable[] error = new Throwable[1];
    socket.exceptionHandler(
        e -> {
          if (error[0] == null) {
            error[0] = e;
          }
          LOG.log(Level.FINE, "pod connection failed", e);
          socket.close();
        });
    // A clean end is the socket's end, not its close: Vert.x reports the close at once, while bytes
    // read before it
    // may still wait in the paused socket's queue for the client to catch up; they come before the
    // end.
    socket.closeHandler(
        v -> {
          if (error[0] != null) {
            done.tryFail(error[0]);
          }
        });

    // client → pod
    pump(data, socket, socket::close);
    data.endHandler(v -> shutdownOutput(socket));
    data.closeFuture()
        .onComplete(
            ar -> { // reset by the client, or both sides finished
              socket.close();
              // writes to the data stream fail now: let the queue run into them, up to the end
              readSocket(socket, true);
            });

    // pod → client
    pumpFromSocket(socket, data);
    socket.endHandler(
        v -> {
          data.end().onFailure(e -> LOG.log(Level.FINE, "FIN on data stream", e));
          done.tryComplete();
        });
    data.resume();
    return done.future();
  }

  /** Copies {@code src} to {@code dst}, pausing {@code src} while {@code dst}'s queue is full. */
  static void pump(ReadStream<Buffer> src, WriteStream<Buffer> dst, Runnable onWriteFailure) {
    src.handler(
        bytes -> {
          dst.write(bytes)
              .onFailure(
                  e -> {
                    LOG.log(Level.FINE, "forwarding write failed", e);
                    onWriteFailure.run();
                  });
          if (dst.writeQueueFull()) {
            src.pause();
            dst.drainHandler(v -> src.resume());
          }
        });
  }

  /**
   * Copies the pod's bytes to the data stream; while the stream's queue is full, Netty stops
   * reading the socket.
   *
   * <p>Not {@link NetSocket#pause()}: a paused Vert.x 5 connection keeps what Netty reads after the
   * pause in a queue of its own, and when the pod closes meanwhile, the socket's end is queued
   * ahead of those bytes. The data stream then got its FIN first and the last reads failed as
   * writes after FIN: a slow client lost up to a MiB of the tail, without any error. With auto-read
   * off nothing more is read, not even the end, so the end comes after the last byte; what Netty's
   * current read loop still delivers is written on (a bounded overshoot of the queue's soft limit,
   * as with any write after {@code writeQueueFull()}).
   */
  static void pumpFromSocket(NetSocket socket, Stream data) {
    socket.handler(
        bytes -> {
          data.write(bytes)
              .onFailure(
                  e -> {
                    LOG.log(Level.FINE, "forwarding write failed", e);
                    socket.close();
                  });
          if (data.writeQueueFull()) {
            readSocket(socket, false);
            data.drainHandler(v -> readSocket(socket, true));
          }
        });
  }

  /**
   * Starts or stops reading a pod connection (auto-read; pause/resume for a socket that is not
   * Vert.x's own): the back-pressure that keeps the pod's end behind its data (see {@link
   * #pumpFromSocket}). The WebSocket port-forward uses it too.
   */
  static void readSocket(NetSocket socket, boolean on) {
    if (!VertxInternals.autoRead(socket, on)) {
      if (on) {
        socket.resume();
      } else {
        socket.pause();
      }
    }
  }

  /**
   * Half-closes the socket after the writes queued so far (writes complete in order, so an empty
   * write completing means everything before it reached the kernel). Without a duplex channel the
   * socket is closed instead.
   */
  static void shutdownOutput(NetSocket socket) {
    socket
        .write(Buffer.buffer())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                socket.close();
                return;
              }
              if (VertxInternals.channel(socket).orElse(null) instanceof DuplexChannel duplex
                  && duplex.isActive()) {
                duplex
                    .shutdownOutput()
                    .addListener(
                        f -> {
                          if (!f.isSuccess()) {
                            socket.close();
                          }
                        });
              } else {
                socket.end();
              }
            });
  }
}
