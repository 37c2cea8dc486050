package io.kubehop.runtime.streaming;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.StreamType;
import io.kubehop.streaming.remotecommand.ErrorStreamDecoder;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.spdy.SpdyDialer;
import io.kubehop.streaming.spdy.SpdySession;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A SPDY exec/attach session driven by hand, built from the streaming module's dialer: the streams
 * are created in client-go's order, the initial terminal size is the first message on the resize
 * stream (as kubectl sends it), and the test types, resizes and leaves whenever it wants. Output is
 * collected; {@link #outcome()} decodes the status.
 */
public final class RawSession {

  private final SpdySession session;
  private final StreamProtocol protocol;
  private final Buffer out = Buffer.buffer();
  private final Buffer errorContent = Buffer.buffer();
  private final Promise<Optional<Exception>> outcome = Promise.promise();
  private Stream stdin;
  private Stream resize;

  private RawSession(SpdySession session, StreamProtocol protocol) {
    this.session = session;
    this.protocol = protocol;
  }

  static Future<RawSession> open(
      Vertx vertx,
      NetClient net,
      String url,
      StreamOptions options,
      int width,
      int height,
      List<String> protocols) {
    URI uri = URI.create(url);
    return SpdyDialer.dial(
            vertx,
            net,
            uri.getHost(),
            uri.getPort(),
            "POST",
            uri.getRawPath(),
            protocols,
            Map.of(StreamHeaders.SESSION, "raw-test"))
        .compose(
            up -> {
              RawSession raw =
                  new RawSession(
                      up.session(), StreamProtocol.fromWireName(up.protocol()).orElseThrow());
              List<StreamType> order = new ArrayList<>(List.of(StreamType.ERROR));
              if (options.stdin()) {
                order.add(StreamType.STDIN);
              }
              if (options.stdout()) {
                order.add(StreamType.STDOUT);
              }
              if (options.stderr() && !options.tty()) {
                order.add(StreamType.STDERR);
              }
              if (options.tty() && raw.protocol.supportsResize()) {
                order.add(StreamType.RESIZE);
              }
              return raw.create(order, 0, width, height).map(raw);
            });
  }

  private Future<Void> create(List<StreamType> order, int index, int width, int height) {
    if (index == order.size()) {
      return Future.succeededFuture();
    }
    StreamType type = order.get(index);
    return session
        .createStream(HeaderBlock.of(StreamHeaders.STREAM_TYPE, type.headerValue()))
        .compose(
            s -> {
              switch (type) {
                case ERROR -> {
                  s.handler(this::appendError);
                  s.endHandler(v -> finish());
                  s.exceptionHandler(e -> finish());
                }
                case STDIN -> stdin = s;
                case STDOUT, STDERR -> s.handler(this::appendOut);
                case RESIZE -> {
                  resize = s;
                  if (width > 0) {
                    s.write(size(width, height));
                  }
                }
                default -> {}
              }
              return create(order, index + 1, width, height);
            });
  }

  private synchronized void appendOut(Buffer b) {
    out.appendBuffer(b);
  }

  private synchronized void appendError(Buffer b) {
    errorContent.appendBuffer(b);
  }

  private synchronized void finish() {
    outcome.tryComplete(
        Optional.ofNullable(ErrorStreamDecoder.decode(protocol, errorContent.copy())));
    session.close(); // as kubectl does once it has the status: the server waits for that before it
    // lets go
  }

  private static Buffer size(int width, int height) {
    return Buffer.buffer("{\"Width\":" + width + ",\"Height\":" + height + "}\n");
  }

  /** The negotiated protocol. */
  public StreamProtocol protocol() {
    return protocol;
  }

  /** Everything received on stdout and stderr so far. */
  public synchronized String output() {
    return out.toString();
  }

  public Future<Void> type(String text) {
    return stdin.write(Buffer.buffer(text));
  }

  public Future<Void> endStdin() {
    return stdin.end();
  }

  public Future<Void> resize(int width, int height) {
    return resize.write(size(width, height));
  }

  /** Completes once the error stream ended: empty on success, else the decoded error. */
  public Future<Optional<Exception>> outcome() {
    return outcome.future();
  }

  /** Leaves: RST on every stream, GOAWAY, TCP close. */
  public Future<Void> close() {
    return session.close();
  }
}
