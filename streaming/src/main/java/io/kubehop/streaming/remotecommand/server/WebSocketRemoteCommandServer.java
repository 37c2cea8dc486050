package io.kubehop.streaming.remotecommand.server;

import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.remotecommand.TerminalSizeDecoder;
import io.kubehop.streaming.websocket.ChannelConnection;
import io.kubehop.streaming.websocket.ChannelHandshake;
import io.kubehop.streaming.websocket.ChannelProtocol;
import io.kubehop.streaming.websocket.ChannelStream;
import io.kubehop.streaming.websocket.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket exec/attach endpoint of a streaming server (kubelet's {@code
 * remotecommand/websocket.go}): the second transport behind {@link RemoteCommandServer#serve}, with
 * the same {@link Executor} and {@link RemoteCommandStreams}. Handshake ({@link ChannelHandshake})
 * → the initial empty message on the lowest writable channel → executor → the status on channel 3
 * (JSON for v4/v5, text for older) → close frame 1000.
 *
 * <p>Bad input: unknown channels, empty messages and bad base64 are dropped (upstream logs and
 * skips); a resize message that is not JSON stops resize handling for the session and is otherwise
 * ignored (upstream's resize goroutine returns on a decode error); a malformed v5 CLOSE closes with
 * 1002; a message over 16 MiB closes with 1009; a client that leaves before the handshake completes
 * ends the call without a session.
 */
public final class WebSocketRemoteCommandServer {

  private static final Logger LOG = Logger.getLogger(WebSocketRemoteCommandServer.class.getName());

  private final Vertx vertx;
  private final List<ChannelProtocol> protocols;
  private final Duration idleTimeout;
  private final String errorPrefix;
  private final Duration pingInterval;

  WebSocketRemoteCommandServer(
      Vertx vertx,
      List<ChannelProtocol> protocols,
      Duration idleTimeout,
      String errorPrefix,
      Duration pingInterval) {
    this.vertx = vertx;
    this.protocols = List.copyOf(protocols);
    this.idleTimeout = idleTimeout;
    this.errorPrefix = errorPrefix;
    this.pingInterval = pingInterval;
  }

  /**
   * Serves one WebSocket upgrade request; completes when the session is over or the request was
   * refused.
   */
  public Future<Void> serve(HttpServerRequest req, StreamOptions options, Executor executor) {
    return ChannelHandshake.accept(vertx, req, protocols)
        .transform(
            ar -> {
              if (ar.failed()) {
                LOG.log(Level.FINE, "websocket handshake failed", ar.cause());
                return Future.<Void>succeededFuture();
              }
              ChannelConnection connection = ar.result().connection().idleTimeout(idleTimeout);
              if (!pingInterval.isZero()) {
                connection.pingInterval(pingInterval);
              }
              RemoteCommandStreams streams = streams(connection, options);
              return streams.run(executor).eventually(connection::closeFuture);
            });
  }

  /**
   * Opens the channels the options ask for and announces the session with the initial empty
   * message.
   */
  private RemoteCommandStreams streams(ChannelConnection connection, StreamOptions options) {
    StreamProtocol version = StreamProtocol.of(connection.protocol());
    ChannelStream stdin = null;
    if (options.stdin()) {
      stdin = connection.stream(Channels.STDIN);
      stdin.pause(); // data waits (up to the connection's bound) until the executor reads it
      connection.open(Channels.STDIN);
    }
    boolean stderr = options.stderr() && !options.tty();
    RemoteCommandStreams streams =
        new RemoteCommandStreams(
            connection,
            version,
            options,
            connection.stream(Channels.ERROR),
            stdin,
            options.stdout() ? connection.stream(Channels.STDOUT) : null,
            stderr ? connection.stream(Channels.STDERR) : null,
            errorPrefix);
    if (options.tty() && version.supportsResize()) {
      readResizes(connection, streams);
    }
    connection.sendInitial(
        options.stdout() ? Channels.STDOUT : stderr ? Channels.STDERR : Channels.ERROR);
    return streams;
  }

  private static void readResizes(ChannelConnection connection, RemoteCommandStreams streams) {
    ChannelStream resize = connection.stream(Channels.RESIZE);
    TerminalSizeDecoder decoder = new TerminalSizeDecoder(streams::onResize);
    resize.handler(
        bytes -> {
          try {
            decoder.decode(bytes);
          } catch (IOException e) {
            // upstream ignores further resizes; a WebSocket peer gets a close it can see instead
            // (1007: bad payload)
            LOG.fine(() -> "bad resize event, closing: " + e.getMessage());
            resize.handler(b -> {});
            connection.close((short) 1007, e.getMessage());
          }
        });
    connection.open(Channels.RESIZE);
  }
}
