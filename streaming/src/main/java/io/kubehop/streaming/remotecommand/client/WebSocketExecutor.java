package io.kubehop.streaming.remotecommand.client;

import io.kubehop.streaming.remotecommand.ErrorStreamDecoder;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.websocket.ChannelConnection;
import io.kubehop.streaming.websocket.ChannelProtocol;
import io.kubehop.streaming.websocket.ChannelStream;
import io.kubehop.streaming.websocket.Channels;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Client side of exec/attach over WebSocket, as client-go's {@code NewWebSocketExecutor}: GET
 * upgrade offering {@code v5.channel.k8s.io} (and by default {@code v4.channel.k8s.io} after it),
 * channels set up locally without wire traffic, stdin copied to channel 0 and, on v5, half-closed
 * with {@code ff 00} at its end; stdout and stderr copied out until the connection closes; channel
 * 3 read to the end and decoded as the v4 Status. Pings every 5 s.
 *
 * <p>The result fails with {@link UpgradeFailureException} when the handshake is refused or answers
 * a subprotocol that was not offered, with {@link
 * io.kubehop.streaming.remotecommand.ExitCodeException} on a non-zero exit.
 */
public final class WebSocketExecutor {

  /** v5 first (stdin close), v4 accepted. */
  public static final List<String> DEFAULT_PROTOCOLS =
      List.of(ChannelProtocol.V5.wireName(), ChannelProtocol.V4.wireName());

  private static final Duration PING_PERIOD = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final WebSocketClient client;
  private final List<String> protocols;
  private final boolean statusRequired;

  public WebSocketExecutor(Vertx vertx, WebSocketClient client) {
    this(vertx, client, DEFAULT_PROTOCOLS);
  }

  public WebSocketExecutor(Vertx vertx, WebSocketClient client, List<String> protocols) {
    this(vertx, client, protocols, false);
  }

  private WebSocketExecutor(
      Vertx vertx, WebSocketClient client, List<String> protocols, boolean statusRequired) {
    this.vertx = vertx;
    this.client = client;
    this.protocols = List.copyOf(protocols);
    this.statusRequired = statusRequired;
  }

  /**
   * This executor, failing with {@link io.kubehop.streaming.remotecommand.MissingStatusException}
   * when channel 3 ends empty (a lost connection) instead of reporting success.
   */
  public WebSocketExecutor requireStatus() {
    return new WebSocketExecutor(vertx, client, protocols, true);
  }

  /** The subprotocols offered, in order. */
  public List<String> protocols() {
    return protocols;
  }

  /** This executor bound to one target. */
  public StreamExecutor to(String host, int port, String uri, Map<String, String> headers) {
    return new StreamExecutor() {
      @Override
      public Future<Void> stream(
          StreamOptions options,
          ReadStream<Buffer> stdin,
          WriteStream<Buffer> stdout,
          WriteStream<Buffer> stderr) {
        return WebSocketExecutor.this.stream(
            host, port, uri, headers, options, stdin, stdout, stderr, null);
      }

      @Override
      public Future<Void> stream(
          StreamOptions options,
          ReadStream<Buffer> stdin,
          WriteStream<Buffer> stdout,
          WriteStream<Buffer> stderr,
          ReadStream<Buffer> resize,
          Handler<Upgrade> onUpgraded) {
        return WebSocketExecutor.this.stream(
            host, port, uri, headers, options, stdin, stdout, stderr, resize, onUpgraded);
      }
    };
  }

  /**
   * Runs the remote command; {@code stdin}, {@code stdout}, {@code stderr}, {@code resize} (raw
   * JSON terminal sizes, tty only) may be null.
   */
  public Future<Void> stream(
      String host,
      int port,
      String uri,
      Map<String, String> headers,
      StreamOptions options,
      ReadStream<Buffer> stdin,
      WriteStream<Buffer> stdout,
      WriteStream<Buffer> stderr,
      ReadStream<Buffer> resize) {
    return stream(host, port, uri, headers, options, stdin, stdout, stderr, resize, up -> {});
  }

  /**
   * As {@link #stream(String, int, String, Map, StreamOptions, ReadStream, WriteStream,
   * WriteStream, ReadStream)}; {@code onUpgraded} sees the accepted handshake (protocol, response
   * headers) before any channel data.
   */
  public Future<Void> stream(
      String host,
      int port,
      String uri,
      Map<String, String> headers,
      StreamOptions options,
      ReadStream<Buffer> stdin,
      WriteStream<Buffer> stdout,
      WriteStream<Buffer> stderr,
      ReadStream<Buffer> resize,
      Handler<Upgrade> onUpgraded) {
    WebSocketConnectOptions connect =
        new WebSocketConnectOptions()
            .setHost(host)
            .setPort(port)
            .setURI(uri)
            .setSubProtocols(protocols);
    headers.forEach(connect::addHeader);
    ClientWebSocket ws = client.webSocket();
    List<WebSocketFrame> early =
        new ArrayList<>(); // frames that arrive before the connection takes over
    ws.frameHandler(early::add);
    return ws.connect(connect)
        .recover(WebSocketExecutor::upgradeFailure)
        .compose(
            connected -> {
              ChannelProtocol protocol =
                  ChannelProtocol.fromWireName(String.valueOf(ws.subProtocol()))
                      .filter(p -> protocols.contains(p.wireName()))
                      .orElse(null);
              if (protocol == null) {
                ws.close();
                return Future.failedFuture(
                    new UpgradeFailureException(
                        -1,
                        "invalid protocol, expected one of "
                            + protocols
                            + ", got \""
                            + ws.subProtocol()
                            + "\""));
              }
              onUpgraded.handle(new Upgrade(Upgrade.WEBSOCKET, protocol.wireName(), ws.headers()));
              ChannelConnection connection =
                  ChannelConnection.start(
                          vertx,
                          ws,
                          protocol,
                          ChannelConnection.Role.CLIENT,
                          early,
                          readable(options))
                      .pingInterval(PING_PERIOD);
              return run(connection, options, stdin, stdout, stderr, resize, statusRequired)
                  .eventually(connection::close);
            });
  }

  /**
   * The channels a client reads: error always, stdout and stderr (no stderr with tty) when
   * requested.
   */
  private static int[] readable(StreamOptions options) {
    return IntStream.of(
            Channels.ERROR,
            options.stdout() ? Channels.STDOUT : -1,
            options.stderr() && !options.tty() ? Channels.STDERR : -1)
        .filter(c -> c >= 0)
        .toArray();
  }

  private static Future<WebSocket> upgradeFailure(Throwable e) {
    if (e instanceof UpgradeRejectedException r) {
      String body = r.getBody() == null ? "" : r.getBody().toString().trim();
      return Future.failedFuture(
          new UpgradeFailureException(r.getStatus(), r.getStatus() + " " + body));
    }
    if (e instanceof WebSocketHandshakeException) {
      return Future.failedFuture(new UpgradeFailureException(-1, e.getMessage()));
    }
    return Future.failedFuture(e);
  }

  private static Future<Void> run(
      ChannelConnection connection,
      StreamOptions options,
      ReadStream<Buffer> stdin,
      WriteStream<Buffer> stdout,
      WriteStream<Buffer> stderr,
      ReadStream<Buffer> resize,
      boolean statusRequired) {
    List<Future<?>> copies = new ArrayList<>();
    Future<Buffer> errorContent = readAll(open(connection, Channels.ERROR));
    if (options.stdout()) {
      copies.add(copy(open(connection, Channels.STDOUT), stdout));
    }
    if (options.stderr() && !options.tty()) {
      copies.add(copy(open(connection, Channels.STDERR), stderr));
    }
    if (options.stdin() && stdin != null) {
      stdin.pipeTo(connection.stream(Channels.STDIN)); // its end sends the v5 CLOSE signal
    }
    if (options.tty() && resize != null) {
      ChannelStream channel = connection.stream(Channels.RESIZE);
      resize.handler(
          b -> {
            channel.write(b);
            if (channel.writeQueueFull()) {
              resize.pause();
              channel.drainHandler(v -> resize.resume());
            }
          });
    }
    ChannelProtocol protocol = connection.protocol();
    return Future.join(copies)
        .transform(ar -> errorContent)
        .compose(
            content -> {
              Exception outcome =
                  ErrorStreamDecoder.decode(StreamProtocol.of(protocol), content, statusRequired);
              return outcome == null
                  ? Future.<Void>succeededFuture()
                  : Future.<Void>failedFuture(outcome);
            });
  }

  private static ChannelStream open(ChannelConnection connection, int channel) {
    connection.open(channel);
    return connection.stream(channel);
  }

  private static Future<Void> copy(ChannelStream from, WriteStream<Buffer> to) {
    if (to == null) {
      return readAll(from).mapEmpty();
    }
    Promise<Void> done = Promise.promise();
    from.pipeTo(to).onComplete(ar -> done.tryComplete());
    return done.future();
  }

  private static Future<Buffer> readAll(ChannelStream s) {
    Promise<Buffer> p = Promise.promise();
    Buffer all = Buffer.buffer();
    s.handler(
        b -> {
          if (all.length()
              < 1 << 20) { // a Status is small; do not let a peer grow this without bound
            all.appendBuffer(b);
          }
        });
    s.endHandler(v -> p.tryComplete(all));
    s.exceptionHandler(e -> p.tryComplete(all));
    return p.future();
  }
}
