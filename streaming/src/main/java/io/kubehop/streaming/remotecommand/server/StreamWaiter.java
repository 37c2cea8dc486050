package io.kubehop.streaming.remotecommand.server;

import io.kubehop.streaming.httpstream.ConnectionClosedException;
import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.httpstream.StreamConnection;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.StreamTimeoutException;
import io.kubehop.streaming.httpstream.StreamType;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.remotecommand.TerminalSize;
import io.kubehop.streaming.remotecommand.TerminalSizeDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Server side of stream creation, for every protocol version (one loop, unlike the kubelet's four
 * copies): answers every new stream (the session replies with an empty SYN_REPLY), sorts it by
 * {@code streamtype}, and completes once the expected set exists: error + the requested
 * stdin/stdout/stderr (no stderr with tty) + resize (tty, V3+). Streams may arrive in any order; an
 * unknown type, or a second stream of one type, is replied to and ignored. If the set is incomplete
 * after the timeout (30 s by default), the connection is closed and the future fails with {@code
 * timed out waiting for client to create streams}.
 */
public final class StreamWaiter {

  private static final Logger LOG = Logger.getLogger(StreamWaiter.class.getName());

  /** {@code DefaultStreamCreationTimeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final int MAX_EARLY_SIZES = 16;

  private final Vertx vertx;
  private final StreamConnection connection;
  private final StreamProtocol protocol;
  private final StreamOptions options;
  private final String errorPrefix;
  private final Map<StreamType, Stream> streams = new EnumMap<>(StreamType.class);
  private final Promise<RemoteCommandStreams> done = Promise.promise();
  private final List<TerminalSize> earlySizes = new ArrayList<>();
  private RemoteCommandStreams result;

  private StreamWaiter(
      Vertx vertx,
      StreamConnection connection,
      StreamProtocol protocol,
      StreamOptions options,
      String errorPrefix) {
    this.vertx = vertx;
    this.connection = connection;
    this.protocol = protocol;
    this.options = options;
    this.errorPrefix = errorPrefix;
  }

  /**
   * Waits on {@code connection} (server role) for the streams of an exec/attach; call on its
   * context.
   */
  public static Future<RemoteCommandStreams> await(
      Vertx vertx,
      StreamConnection connection,
      StreamProtocol protocol,
      StreamOptions options,
      Duration timeout,
      String errorPrefix) {
    StreamWaiter w = new StreamWaiter(vertx, connection, protocol, options, errorPrefix);
    connection.newStreamHandler(w::onStream);
    long timer =
        vertx.setTimer(
            timeout.toMillis(),
            t -> {
              if (w.done.tryFail(
                  new StreamTimeoutException("timed out waiting for client to create streams"))) {
                LOG.info("timed out waiting for client to create streams");
                connection.close();
              }
            });
    connection
        .closeFuture()
        .onComplete(
            v ->
                w.done.tryFail(
                    new ConnectionClosedException("connection closed while waiting for streams")));
    return w.done.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private void onStream(Stream stream) {
    StreamType type =
        StreamType.fromHeader(stream.headers().get(StreamHeaders.STREAM_TYPE)).orElse(null);
    if (type == null
        || type == StreamType.DATA
        || streams.containsKey(type)
        || done.future().isComplete()) {
      LOG.fine(
          () ->
              "ignoring stream "
                  + stream.id()
                  + " of type "
                  + stream.headers().get(StreamHeaders.STREAM_TYPE));
      stream.handler(b -> {}); // drain whatever arrives on it
      return;
    }
    streams.put(type, stream);
    switch (type) {
      case STDIN ->
          stream.pause(); // data waits (up to the session's bound) until the executor reads it
      case RESIZE -> readResizes(stream);
      default ->
          stream.handler(b -> {}); // the client never writes error/stdout/stderr; drain anyway
    }
    if (complete()) {
      finishWaiting();
    }
  }

  private boolean complete() {
    if (!streams.containsKey(StreamType.ERROR)) {
      return false;
    }
    if (options.stdin() && !streams.containsKey(StreamType.STDIN)) {
      return false;
    }
    if (options.stdout() && !streams.containsKey(StreamType.STDOUT)) {
      return false;
    }
    if (options.stderr() && !options.tty() && !streams.containsKey(StreamType.STDERR)) {
      return false;
    }
    return !(options.tty() && protocol.supportsResize() && !streams.containsKey(StreamType.RESIZE));
  }

  private void finishWaiting() {
    Stream stdin = options.stdin() ? streams.get(StreamType.STDIN) : null;
    Stream stderr = options.stderr() && !options.tty() ? streams.get(StreamType.STDERR) : null;
    result =
        new RemoteCommandStreams(
            connection,
            protocol,
            options,
            streams.get(StreamType.ERROR),
            stdin,
            options.stdout() ? streams.get(StreamType.STDOUT) : null,
            stderr,
            errorPrefix);
    if (protocol == StreamProtocol.V1 && stdin != null) {
      stdin.end(); // v1 quirk kept from the kubelet: the server's half of stdin is closed at once
    }
    earlySizes.forEach(result::onResize);
    earlySizes.clear();
    done.tryComplete(result);
  }

  private void readResizes(Stream stream) {
    TerminalSizeDecoder decoder =
        new TerminalSizeDecoder(
            size -> {
              if (result != null) {
                result.onResize(size);
              } else if (earlySizes.size() < MAX_EARLY_SIZES) {
                earlySizes.add(
                    size); // a client that sizes its terminal before creating its last stream
              }
            });
    stream.handler(
        bytes -> {
          try {
            decoder.decode(bytes);
          } catch (IOException e) {
            LOG.fine(() -> "bad resize event: " + e.getMessage());
            stream.handler(b -> {});
          }
        });
  }
}
