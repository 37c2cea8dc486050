package io.kubehop.streaming.remotecommand.client;

import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.spdy.SpdyDialer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.function.Predicate;

/**
 * Tries {@code primary} and, if it fails in a way {@code shouldFallback} accepts, {@code secondary}
 * (client-go's {@code fallback.go}, as kubectl 1.30+ runs WebSocket first and SPDY second). Only
 * upgrade failures qualify by default: once a stream is established, its errors and exit codes are
 * final.
 */
public final class FallbackExecutor implements StreamExecutor {

  private final StreamExecutor primary;
  private final StreamExecutor secondary;
  private final Predicate<Throwable> shouldFallback;

  public FallbackExecutor(
      StreamExecutor primary, StreamExecutor secondary, Predicate<Throwable> shouldFallback) {
    this.primary = primary;
    this.secondary = secondary;
    this.shouldFallback = shouldFallback;
  }

  /** {@code httpstream.IsUpgradeFailure}: the WebSocket or SPDY upgrade was refused. */
  public static boolean isUpgradeFailure(Throwable e) {
    return e instanceof UpgradeFailureException || e instanceof SpdyDialer.UpgradeFailedException;
  }

  @Override
  public Future<Void> stream(
      StreamOptions options,
      ReadStream<Buffer> stdin,
      WriteStream<Buffer> stdout,
      WriteStream<Buffer> stderr) {
    return primary.stream(options, stdin, stdout, stderr)
        .recover(
            e ->
                shouldFallback.test(e)
                    ? secondary.stream(options, stdin, stdout, stderr)
                    : Future.failedFuture(e));
  }

  @Override
  public Future<Void> stream(
      StreamOptions options,
      ReadStream<Buffer> stdin,
      WriteStream<Buffer> stdout,
      WriteStream<Buffer> stderr,
      ReadStream<Buffer> resize,
      Handler<Upgrade> onUpgraded) {
    return primary.stream(options, stdin, stdout, stderr, resize, onUpgraded)
        .recover(
            e ->
                shouldFallback.test(e)
                    ? secondary.stream(options, stdin, stdout, stderr, resize, onUpgraded)
                    : Future.failedFuture(e));
  }
}
