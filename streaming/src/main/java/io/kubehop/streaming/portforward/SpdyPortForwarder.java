package io.kubehop.streaming.portforward;

import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.spdy.SpdySession;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The port-forward streams of one SPDY connection (kubelet's {@code httpStreamHandler}), on the
 * session's context.
 *
 * <p>Each stream is checked before its SYN_REPLY (a bad {@code port} or {@code streamtype} gets
 * RST_STREAM CANCEL), then paired with its partner by {@code requestid}. The first stream of a pair
 * starts the creation timer; a pair still incomplete when it fires gets {@code (conn=…, request=…)
 * timed out waiting for streams} on its error stream. A complete pair dials the pod and is spliced
 * with it; at the end both streams are closed with FIN. Failures stay within their pair: the
 * connection and other pairs go on.
 */
final class SpdyPortForwarder {

  private static final Logger LOG = Logger.getLogger(SpdyPortForwarder.class.getName());

  private final Vertx vertx;
  private final SpdySession session;
  private final Duration creationTimeout;
  private final String pod;
  private final String uid;
  private final PortDialer dialer;
  private final Map<String, StreamPair> pairs = new HashMap<>();

  SpdyPortForwarder(
      Vertx vertx,
      SpdySession session,
      Duration creationTimeout,
      String pod,
      String uid,
      PortDialer dialer) {
    this.vertx = vertx;
    this.session = session;
    this.creationTimeout = creationTimeout;
    this.pod = pod;
    this.uid = uid;
    this.dialer = dialer;
  }

  /** Starts accepting streams; completes when the connection is closed. */
  Future<Void> run() {
    session.newStreamHandler(this::onStream);
    return session
        .closeFuture()
        .onComplete(
            v -> {
              pairs.values().forEach(p -> vertx.cancelTimer(p.timer));
              pairs.clear();
            });
  }

  /**
   * {@code httpStreamReceived}: the checks run before the SYN_REPLY, which a reset here replaces.
   */
  private void onStream(Stream stream) {
    stream.pause(); // data waits (bounded, the session pauses the socket) until the pod is dialed
    String invalid = validate(stream);
    if (invalid != null) {
      LOG.fine(() -> "rejecting port-forward stream " + stream.id() + ": " + invalid);
      stream.reset();
      return;
    }
    String type = stream.headers().get(StreamHeaders.STREAM_TYPE);
    String requestId = requestId(stream, type);
    StreamPair pair = pairs.get(requestId);
    if (pair == null) {
      pair = new StreamPair(requestId);
      pairs.put(requestId, pair);
      StreamPair created = pair;
      pair.timer = vertx.setTimer(Math.max(1, creationTimeout.toMillis()), t -> onTimeout(created));
    }
    String duplicate = pair.add(type, stream);
    if (duplicate != null) {
      String message = "error processing stream for request " + requestId + ": " + duplicate;
      LOG.fine(message);
      printError(pair, message);
      stream.reset(); // upstream leaves the extra stream open and unused; a reset frees it for both
      // sides
      return;
    }
    if (type.equals(PortForwardServer.STREAM_TYPE_ERROR)) {
      stream.handler(b -> {}); // clients only half-close it; never let unexpected bytes pile up
      stream.resume();
    }
    if (pair.complete()) {
      vertx.cancelTimer(pair.timer);
      pairs.remove(requestId);
      forward(pair);
    }
  }

  /**
   * The checks and messages of upstream's {@code httpStreamReceived}; null when the stream is
   * acceptable.
   */
  static String validate(Stream stream) {
    String port = stream.headers().get(StreamHeaders.PORT);
    if (port == null || port.isEmpty()) {
      return "\"port\" header is required";
    }
    try {
      Ports.parse(port, port);
    } catch (Ports.InvalidPortException e) {
      return e.getMessage();
    }
    String type = stream.headers().get(StreamHeaders.STREAM_TYPE);
    if (type == null || type.isEmpty()) {
      return "\"streamType\" header is required";
    }
    if (!type.equals(PortForwardServer.STREAM_TYPE_ERROR)
        && !type.equals(PortForwardServer.STREAM_TYPE_DATA)) {
      return "invalid stream type \"" + type + "\"";
    }
    return null;
  }

  /**
   * The {@code requestid} header; clients older than it get upstream's best effort: an error
   * stream's own id, a data stream's id − 2 (right when a client opens its pairs one after the
   * other, as those clients did).
   */
  private static String requestId(Stream stream, String type) {
    String id = stream.headers().get(StreamHeaders.REQUEST_ID);
    if (id != null && !id.isEmpty()) {
      return id;
    }
    return Integer.toString(
        type.equals(PortForwardServer.STREAM_TYPE_ERROR) ? stream.id() : stream.id() - 2);
  }

  private void onTimeout(StreamPair pair) {
    if (pairs.remove(pair.requestId) != pair) {
      return;
    }
    // upstream prints the Go connection pointer; the session's identity serves the same purpose in
    // logs
    String message =
        "(conn="
            + Integer.toHexString(System.identityHashCode(session))
            + ", request="
            + pair.requestId
            + ") timed out waiting for streams";
    LOG.fine(message);
    printError(pair, message);
    // upstream only forgets the pair; ending its streams lets the client see the message and EOF at
    // once
    if (pair.errorStream != null) {
      pair.errorStream.end().onFailure(e -> {});
    }
    if (pair.dataStream != null) {
      pair.dataStream.reset();
    }
  }

  private static void printError(StreamPair pair, String message) {
    if (pair.errorStream != null) {
      pair.errorStream
          .write(Buffer.buffer(message.getBytes(StandardCharsets.UTF_8)))
          .onFailure(e -> {});
    }
  }

  /**
   * {@code portForward}: dial, splice, then FIN on both streams, with the failure (if any) on the
   * error stream.
   */
  private void forward(StreamPair pair) {
    int port = Integer.parseInt(pair.dataStream.headers().get(StreamHeaders.PORT));
    Future<NetSocket> dialed;
    try {
      dialed = dialer.dial(port);
    } catch (RuntimeException e) {
      dialed = Future.failedFuture(e);
    }
    dialed
        .compose(socket -> Splice.run(pair.dataStream, socket))
        .onComplete(ar -> finish(pair, port, ar.cause()));
  }

  private void finish(StreamPair pair, int port, Throwable cause) {
    if (cause != null) {
      String message = ForwardingError.message(port, pod, uid, cause);
      if (ForwardingError.isReported(cause)) {
        LOG.info(message);
        printError(pair, message);
      } else {
        LOG.info(message + " (not reported to the client, which would drop the whole forward)");
      }
    }
    // whatever the client still sends has nowhere to go: drop it, so it cannot hold the shared
    // socket paused
    pair.dataStream.handler(b -> {});
    pair.dataStream.resume();
    closeQuietly(pair.dataStream);
    closeQuietly(pair.errorStream);
  }

  private static void closeQuietly(Stream stream) {
    stream.end().onFailure(e -> {}); // already finished or reset by the client: nothing left to say
  }
}
