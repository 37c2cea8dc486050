package io.kubehop.streaming.remotecommand.client;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.StreamType;
import io.kubehop.streaming.remotecommand.ErrorStreamDecoder;
import io.kubehop.streaming.remotecommand.NoStatusException;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.spdy.SpdyDialer;
import io.kubehop.streaming.spdy.SpdySession;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Client side of exec/attach over SPDY, as client-go's {@code NewSPDYExecutor} does it: upgrade
 * (POST, offering V5…V1), create the streams one at a time in client-go's order (error, stdin,
 * stdout, stderr unless tty, resize for tty on V3+), only then copy data, read the error stream to
 * its end, and close the connection.
 *
 * <p>The result completes when the command is over: success, or failed with {@link
 * io.kubehop.streaming.remotecommand.ExitCodeException} (non-zero exit), {@link
 * ErrorStreamDecoder.RemoteCommandException}, {@link SpdyDialer.UpgradeFailedException}, or {@link
 * NoStatusException} when the connection ended before the error stream did (client-go would report
 * success there).
 */
public final class SpdyExecutor {

  private final Vertx vertx;
  private final NetClient client;
  private final boolean statusRequired;

  public SpdyExecutor(Vertx vertx, NetClient client) {
    this(vertx, client, false);
  }

  private SpdyExecutor(Vertx vertx, NetClient client, boolean statusRequired) {
    this.vertx = vertx;
    this.client = client;
    this.statusRequired = statusRequired;
  }

  /**
   * This executor, failing with {@link io.kubehop.streaming.remotecommand.MissingStatusException}
   * when a V4/V5 error stream ends empty (a lost connection) instead of reporting success.
   */
  public SpdyExecutor requireStatus() {
    return new SpdyExecutor(vertx, client, true);
  }

  /**
   * Where to connect and what to ask for.
   *
   * @param tls TLS or plain; null: as the executor's client is configured
   */
  public record Target(
      String host, int port, Boolean tls, String method, String uri, Map<String, String> headers) {

    /** A target dialled as the executor's client is configured. */
    public Target(String host, int port, String method, String uri, Map<String, String> headers) {
      this(host, port, null, method, uri, headers);
    }
  }

  /**
   * Runs the remote command; {@code stdin}, {@code stdout}, {@code stderr} may be null when not
   * requested. stdin is half-closed when it ends (V2+); stdout/stderr are ended (piped) when the
   * server finishes them.
   */
  public Future<Void> stream(
      Target target,
      StreamOptions options,
      ReadStream<Buffer> stdin,
      WriteStream<Buffer> stdout,
      WriteStream<Buffer> stderr) {
    return stream(target, options, stdin, stdout, stderr, null, up -> {});
  }

  /**
   * This executor bound to one target, as a {@link StreamExecutor} (e.g. the secondary of a
   * fallback).
   */
  public StreamExecutor to(Target target) {
    return new StreamExecutor() {
      @Override
      public Future<Void> stream(
          StreamOptions options,
          ReadStream<Buffer> stdin,
          WriteStream<Buffer> stdout,
          WriteStream<Buffer> stderr) {
        return SpdyExecutor.this.stream(target, options, stdin, stdout, stderr);
      }

      @Override
      public Future<Void> stream(
          StreamOptions options,
          ReadStream<Buffer> stdin,
          WriteStream<Buffer> stdout,
          WriteStream<Buffer> stderr,
          ReadStream<Buffer> resize,
          Handler<Upgrade> onUpgraded) {
        return SpdyExecutor.this.stream(
            target,
            options,
            stdin,
            stdout,
            stderr,
            resize,
            up ->
                onUpgraded.handle(new Upgrade(Upgrade.SPDY, up.protocol(), up.responseHeaders())));
      }
    };
  }

  /**
   * Runs the remote command with a {@code resize} source too (raw JSON terminal sizes, copied to
   * the resize stream with tty on V3+; may be null); {@code onUpgraded} sees the session once the
   * upgrade succeeded (e.g. to record its socket addresses).
   */
  public Future<Void> stream(
      Target target,
      StreamOptions options,
      ReadStream<Buffer> stdin,
      WriteStream<Buffer> stdout,
      WriteStream<Buffer> stderr,
      ReadStream<Buffer> resize,
      Handler<SpdyDialer.Upgraded> onUpgraded) {
    return SpdyDialer.dial(
            vertx,
            client,
            target.host(),
            target.port(),
            target.tls(),
            target.method(),
            target.uri(),
            StreamProtocol.SPDY_CLIENT_DEFAULT,
            target.headers())
        .compose(
            up -> {
              StreamProtocol protocol = StreamProtocol.fromWireName(up.protocol()).orElse(null);
              if (protocol == null) {
                up.session().close();
                return Future.failedFuture(
                    new ProtocolException(
                        "unable to negotiate protocol: server returned \"" + up.protocol() + "\""));
              }
              onUpgraded.handle(up);
              return run(up.session(), protocol, options, stdin, stdout, stderr, resize)
                  .eventually(() -> up.session().close());
            });
  }

  private Future<Void> run(
      SpdySession session,
      StreamProtocol protocol,
      StreamOptions options,
      ReadStream<Buffer> stdin,
      WriteStream<Buffer> stdout,
      WriteStream<Buffer> stderr,
      ReadStream<Buffer> resize) {
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
    if (options.tty() && protocol.supportsResize()) {
      order.add(StreamType.RESIZE);
    }
    return createAll(session, order, 0, new ArrayList<>())
        .compose(
            streams -> {
              List<Future<?>> copies = new ArrayList<>();
              Future<Buffer> errorContent = readStatus(session, streams.get(0));
              for (int i = 1; i < order.size(); i++) {
                Stream s = streams.get(i);
                switch (order.get(i)) {
                  case STDIN -> {
                    if (stdin != null && protocol != StreamProtocol.V1) {
                      stdin.pipeTo(s); // ends with FIN: the remote process sees EOF
                    } else if (stdin != null) {
                      stdin.handler(s::write); // v1 never half-closes stdin (issue 13394)
                    }
                  }
                  case STDOUT -> copies.add(copy(s, stdout));
                  case STDERR -> copies.add(copy(s, stderr));
                  case RESIZE -> {
                    s.handler(b -> {});
                    if (resize != null) {
                      copyWithoutEnd(resize, s);
                    }
                  }
                  default -> s.handler(b -> {});
                }
              }
              return Future.join(copies)
                  .transform(ar -> errorContent)
                  .compose(
                      content -> {
                        Exception outcome =
                            ErrorStreamDecoder.decode(protocol, content, statusRequired);
                        return outcome == null
                            ? Future.<Void>succeededFuture()
                            : Future.<Void>failedFuture(outcome);
                      });
            });
  }

  private static Future<List<Stream>> createAll(
      SpdySession session, List<StreamType> order, int index, List<Stream> created) {
    if (index == order.size()) {
      return Future.succeededFuture(created);
    }
    return session
        .createStream(HeaderBlock.of(StreamHeaders.STREAM_TYPE, order.get(index).headerValue()))
        .compose(
            s -> {
              created.add(s);
              return createAll(session, order, index + 1, created);
            });
  }

  /** Copies a server stream into a local sink until the server's FIN (or the connection's end). */
  private static Future<Void> copy(Stream from, WriteStream<Buffer> to) {
    if (to == null) {
      return readAll(from).mapEmpty();
    }
    Promise<Void> done = Promise.promise();
    from.pipeTo(to).onComplete(ar -> done.tryComplete());
    return done.future();
  }

  /**
   * Copies with back-pressure but never ends {@code to} (the resize stream stays open until the
   * connection ends).
   */
  private static void copyWithoutEnd(ReadStream<Buffer> from, Stream to) {
    from.handler(
        b -> {
          to.write(b);
          if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
          }
        });
    from.resume();
  }

  /**
   * The whole error stream up to its end; fails with {@link NoStatusException} when nothing arrived
   * on it and it ended because the connection did (no FIN of the peer's: the session was cut off).
   */
  private static Future<Buffer> readStatus(SpdySession session, Stream s) {
    Promise<Buffer> p = Promise.promise();
    Buffer all = Buffer.buffer();
    s.handler(all::appendBuffer);
    s.endHandler(
        v -> {
          if (all.length() == 0 && session.transportClosed()) {
            p.tryFail(new NoStatusException(null));
          } else {
            p.tryComplete(all);
          }
        });
    s.exceptionHandler(
        e -> {
          if (all.length() == 0) {
            p.tryFail(new NoStatusException(e));
          } else {
            p.tryComplete(all);
          }
        });
    return p.future();
  }

  private static Future<Buffer> readAll(Stream s) {
    Promise<Buffer> p = Promise.promise();
    Buffer all = Buffer.buffer();
    s.handler(all::appendBuffer);
    s.endHandler(v -> p.tryComplete(all));
    s.exceptionHandler(e -> p.tryComplete(all));
    return p.future();
  }
}
