package io.kubehop.streaming.portforward.client;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.httpstream.StreamConnection;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.transport.VertxInternals;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One local connection of a port-forward (client-go's {@code handleConnection}): an error stream
 * (half-closed at once, read to its end) and a data stream, both with the {@code port} and {@code
 * requestid} headers, opened in that order; then bytes both ways until the pod's side ends, which
 * resets the data stream and, once the error stream ended, closes the local connection.
 *
 * <p>Unlike client-go, which closes the whole SPDY connection (and so every other connection and
 * the command) when an error stream carries a message (kubernetes#103526, kubectl#1169), a message
 * here ends only this connection: it is reported with kubectl's line and the forward goes on.
 *
 * <p>Back-pressure both ways: the local socket stops reading (Netty auto-read off, see {@link
 * VertxInternals#autoRead}) while the session's write queue is full, and the data stream is paused
 * while the local socket's write queue is full, so the SPDY session in turn stops reading.
 * Auto-read rather than {@link NetSocket#pause()}: a paused Vert.x socket queues what it still
 * reads, and a FIN read meanwhile overtakes that queue, which would cut the tail off an upload.
 */
final class ForwardedConnection {

  /** The most of an error message kept; servers write one line. */
  static final int MAX_ERROR_MESSAGE = 64 * 1024;

  private final StreamConnection connection;
  private final NetSocket local;
  private final ForwardedPort port;
  private final int requestId;
  private final ErrorLog log;
  private final Promise<String> errorMessage = Promise.promise();
  private final Promise<Void> done = Promise.promise();
  private final List<Buffer> early = new ArrayList<>();
  private boolean localEnded;
  private boolean localClosed;
  private boolean finishing;
  private Stream data;
  private Future<Void> lastLocalWrite = Future.succeededFuture();

  ForwardedConnection(
      StreamConnection connection,
      NetSocket local,
      ForwardedPort port,
      int requestId,
      ErrorLog log) {
    this.connection = connection;
    this.local = local;
    this.port = port;
    this.requestId = requestId;
    this.log = log;
  }

  /** Opens the streams and forwards; completes once the local connection is closed. */
  Future<Void> start() {
    readLocal(false);
    // Whatever Netty read before auto-read went off waits here for the data stream.
    local.handler(early::add);
    // The local client may half-close and still read the answer (echo ruok | nc), as Go's net.Conn
    // allows; its FIN is then forwarded as the data stream's FIN.
    if (!VertxInternals.allowHalfClosure(local, this::onLocalEnd)) {
      local.endHandler(v -> onLocalEnd());
    }
    local.closeHandler(
        v -> {
          localClosed = true;
          finish();
        });
    local.exceptionHandler(
        e -> {
          log.error(
              "error copying from local connection to remote stream for port "
                  + ports()
                  + ": "
                  + e.getMessage());
          finish();
        });
    HeaderBlock.Builder headers =
        HeaderBlock.builder()
            .add(StreamHeaders.PORT, Integer.toString(port.remote()))
            .add(StreamHeaders.REQUEST_ID, Integer.toString(requestId));
    connection
        .createStream(headers.add(StreamHeaders.STREAM_TYPE, "error").build())
        .onFailure(e -> failStart("error creating error stream for port ", e))
        .onSuccess(
            error -> {
              error.end().onFailure(e -> {}); // this side never writes to it
              readErrorStream(error);
              connection
                  .createStream(
                      HeaderBlock.builder()
                          .add(StreamHeaders.PORT, Integer.toString(port.remote()))
                          .add(StreamHeaders.REQUEST_ID, Integer.toString(requestId))
                          .add(StreamHeaders.STREAM_TYPE, "data")
                          .build())
                  .onFailure(
                      e -> {
                        error.reset();
                        failStart("error creating forwarding stream for port ", e);
                      })
                  .onSuccess(this::splice);
            });
    return done.future();
  }

  private String ports() {
    return port.local() + " -> " + port.remote();
  }

  private void failStart(String what, Throwable e) {
    log.error(what + ports() + ": " + e.getMessage());
    errorMessage.tryComplete("");
    finishing = true;
    local.close();
    done.tryComplete();
  }

  /** The error stream to its end, bounded; what it said is reported when the connection ends. */
  private void readErrorStream(Stream error) {
    Buffer message = Buffer.buffer();
    error.handler(
        b -> {
          if (message.length() < MAX_ERROR_MESSAGE) {
            message.appendBuffer(b);
          }
        });
    error.exceptionHandler(
        e -> {
          log.error("error reading from error stream for port " + ports() + ": " + e.getMessage());
          errorMessage.tryComplete("");
        });
    error.endHandler(v -> errorMessage.tryComplete(message.toString(StandardCharsets.UTF_8)));
  }

  private void splice(Stream stream) {
    this.data = stream;
    if (finishing || localClosed) { // the local side went away while the streams were opened
      stream.reset();
      finish();
      return;
    }
    // pod → local
    stream.handler(
        b -> {
          lastLocalWrite = local.write(b);
          if (local.writeQueueFull()) {
            stream.pause();
            local.drainHandler(v -> stream.resume());
          }
        });
    stream.exceptionHandler(
        e -> {
          log.error(
              "error copying from remote stream to local connection for port "
                  + ports()
                  + ": "
                  + e.getMessage());
          finish();
        });
    stream.endHandler(v -> finish());
    // local → pod: first what came before the stream existed, then the rest
    early.forEach(stream::write);
    early.clear();
    if (localEnded) {
      stream.end().onFailure(e -> {});
    } else {
      local.handler(
          b -> {
            stream.write(b).onFailure(e -> finish());
            if (stream.writeQueueFull()) {
              readLocal(false);
              stream.drainHandler(v -> readLocal(true));
            }
          });
      readLocal(true);
    }
  }

  /** Local EOF: tell the pod no more is coming (client-go's {@code dataStream.Close()}). */
  private void onLocalEnd() {
    if (localEnded) {
      return;
    }
    localEnded = true;
    if (data != null && !finishing) {
      data.end().onFailure(e -> {});
    }
  }

  /**
   * The pod's side ended, or either side failed: reset the data stream (drops what is unsent),
   * then, once the error stream ended, report its message and close the local connection after the
   * bytes already written to it.
   */
  private void finish() {
    if (finishing) {
      return;
    }
    finishing = true;
    if (data != null) {
      data.reset();
    }
    errorMessage
        .future()
        .onComplete(
            ar -> {
              String message = ar.result();
              if (message != null && !message.isEmpty()) {
                log.error("an error occurred forwarding " + ports() + ": " + message);
              }
              lastLocalWrite.onComplete(w -> local.close().onComplete(c -> done.tryComplete()));
            });
  }

  /** Starts or stops reading the local socket (see the class comment). */
  private void readLocal(boolean on) {
    if (!VertxInternals.autoRead(local, on)) {
      if (on) {
        local.resume();
      } else {
        local.pause();
      }
    }
  }
}
