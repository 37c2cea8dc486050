package io.kubehop.streaming.remotecommand.server;

import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.httpstream.StreamConnection;
import io.kubehop.streaming.remotecommand.ExitCodeException;
import io.kubehop.streaming.remotecommand.StatusWriter;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.remotecommand.TerminalSize;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayDeque;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The streams of one exec/attach session, server side, once the client created all of them.
 *
 * <p>{@link #stdin()} is paused until the executor reads it (call {@code handler} + {@code
 * resume}); it ends when the client half-closes stdin. {@link #finish(Throwable)} ends the session
 * the way the kubelet does: FIN on stdout and stderr, the status on the error stream (then FIN),
 * RST_STREAM on what is left, GOAWAY, and TCP close.
 */
public final class RemoteCommandStreams {

  private static final Logger LOG = Logger.getLogger(RemoteCommandStreams.class.getName());

  /**
   * Resize events kept while nobody listens; older ones are dropped (only the latest size matters).
   */
  private static final int MAX_PENDING_RESIZES = 16;

  private final StreamConnection connection;
  private final StreamProtocol protocol;
  private final StreamOptions options;
  private final Stream error;
  private final Stream stdin;
  private final Stream stdout;
  private final Stream stderr;
  private final String errorPrefix;
  private final ArrayDeque<TerminalSize> pendingResizes = new ArrayDeque<>();
  private Handler<TerminalSize> resizeHandler;
  private boolean finished;
  private volatile long processId = -1;

  RemoteCommandStreams(
      StreamConnection connection,
      StreamProtocol protocol,
      StreamOptions options,
      Stream error,
      Stream stdin,
      Stream stdout,
      Stream stderr,
      String errorPrefix) {
    this.connection = connection;
    this.protocol = protocol;
    this.options = options;
    this.error = error;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
    this.errorPrefix = errorPrefix;
  }

  public StreamProtocol protocol() {
    return protocol;
  }

  /**
   * The runtime tells which process the session drives (an exec's new one, an attach's container
   * process), for those who inspect it.
   */
  public void processStarted(long pid) {
    processId = pid;
  }

  /** The process {@link #processStarted} named; empty before, or when none was. */
  public OptionalLong processId() {
    long pid = processId;
    return pid < 0 ? OptionalLong.empty() : OptionalLong.of(pid);
  }

  public StreamOptions options() {
    return options;
  }

  /** The client's stdin, or {@code null} if not requested. Paused until read. */
  public ReadStream<Buffer> stdin() {
    return stdin;
  }

  /** The client's stdout, or {@code null}. */
  public WriteStream<Buffer> stdout() {
    return stdout;
  }

  /** The client's stderr, or {@code null} (always with tty: the terminal merges it into stdout). */
  public WriteStream<Buffer> stderr() {
    return stderr;
  }

  /**
   * Receives terminal sizes from the resize stream (tty, V3+); sizes sent before this call are
   * replayed.
   */
  public RemoteCommandStreams resizeHandler(Handler<TerminalSize> handler) {
    this.resizeHandler = handler;
    while (handler != null && !pendingResizes.isEmpty()) {
      handler.handle(pendingResizes.poll());
    }
    return this;
  }

  void onResize(TerminalSize size) {
    if (resizeHandler != null) {
      resizeHandler.handle(size);
    } else {
      if (pendingResizes.size() == MAX_PENDING_RESIZES) {
        pendingResizes.poll();
      }
      pendingResizes.add(size);
    }
  }

  /**
   * Completes when the connection is gone, by either side: an executor should stop (kill) the
   * process if the client disappears before it exits.
   */
  public Future<Void> closeFuture() {
    return connection.closeFuture();
  }

  /**
   * Runs {@code executor} on these streams and then finishes them with its outcome: the exit code,
   * or the failure (an executor that throws has failed too). The same for every transport, so SPDY
   * and WebSocket sessions end alike.
   */
  public Future<Void> run(Executor executor) {
    Future<Integer> exit;
    try {
      exit = executor.execute(this);
    } catch (RuntimeException e) {
      exit = Future.failedFuture(e);
    }
    return exit.transform(
        ar -> {
          if (ar.failed()) {
            LOG.log(Level.FINE, "remote command failed", ar.cause());
          }
          return ar.succeeded() ? finish(ar.result()) : finish(ar.cause());
        });
  }

  /** Ends with exit code {@code code} (0 = success). */
  public Future<Void> finish(int code) {
    return finish(code == 0 ? null : new ExitCodeException(code));
  }

  /**
   * Ends the session: {@code null} = success, an {@link ExitCodeException} = non-zero exit,
   * anything else = internal error. Completes when the connection is closed. Only the first call
   * counts.
   */
  public Future<Void> finish(Throwable outcome) {
    if (finished) {
      return connection.closeFuture();
    }
    finished = true;
    if (stdout != null) {
      stdout.end();
    }
    if (stderr != null) {
      stderr.end();
    }
    Buffer status = StatusWriter.encode(protocol, outcome, errorPrefix);
    if (status.length() > 0) {
      error.write(status);
    }
    error.end();
    return connection.close();
  }
}
