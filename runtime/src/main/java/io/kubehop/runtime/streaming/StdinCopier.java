package io.kubehop.runtime.streaming;

import io.kubehop.runtime.process.StdinWriter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies a client's stdin stream into a process's stdin. Writes to a pipe or PTY block while the
 * process does not read, so each one runs on a worker, and the client stream stays paused until it
 * is done: at most one chunk is in hand, and TCP back-pressure reaches the client. Once the process
 * stops taking input (it exited, or closed its stdin) the rest of the client's input is read and
 * dropped.
 */
final class StdinCopier {

  private static final Logger LOG = Logger.getLogger(StdinCopier.class.getName());

  private final Vertx vertx;
  private final ReadStream<Buffer> from;
  private final StdinWriter to;
  private final Promise<Void> ended = Promise.promise();

  /**
   * The last write (or the EOF) queued; the next one starts after it. Touched on the session's
   * context.
   */
  private Future<Void> tail = Future.succeededFuture();

  private boolean broken;

  private StdinCopier(Vertx vertx, ReadStream<Buffer> from, StdinWriter to) {
    this.vertx = vertx;
    this.from = from;
    this.to = to;
  }

  /**
   * Starts copying; call on the session's context. {@code to} may be null (the process has no
   * stdin): input is then read and dropped. At the client's end of input, {@code closeAtEof} closes
   * the process's stdin (EOF for a pipe, ^D for a terminal). The result completes when the client's
   * stdin has ended (normally or because the connection went away) and the last write is done.
   */
  static Future<Void> copy(
      Vertx vertx, ReadStream<Buffer> from, StdinWriter to, boolean closeAtEof) {
    StdinCopier copier = new StdinCopier(vertx, from, to);
    copier.start(closeAtEof);
    return copier.ended.future();
  }

  private void start(boolean closeAtEof) {
    broken = to == null;
    from.handler(this::onData);
    from.endHandler(
        v ->
            tail =
                tail.compose(done -> closeAtEof && !broken ? blocking(to::close) : done())
                    .onComplete(ar -> ended.tryComplete()));
    from.exceptionHandler(e -> tail.onComplete(ar -> ended.tryComplete()));
    from.resume();
  }

  private void onData(Buffer data) {
    if (broken) {
      return;
    }
    from.pause();
    byte[] bytes = data.getBytes();
    tail =
        tail.compose(v -> blocking(() -> to.write(bytes)))
            .transform(
                ar -> {
                  if (ar.failed()) {
                    LOG.log(Level.FINE, "process no longer reads stdin: " + ar.cause());
                    broken = true;
                  }
                  from.resume();
                  return done();
                });
  }

  private Future<Void> blocking(IoAction action) {
    return vertx.executeBlocking(
        () -> {
          action.run();
          return null;
        },
        false);
  }

  private static Future<Void> done() {
    return Future.succeededFuture();
  }

  /** A blocking write or close. */
  @FunctionalInterface
  private interface IoAction {
    void run() throws Exception;
  }
}
