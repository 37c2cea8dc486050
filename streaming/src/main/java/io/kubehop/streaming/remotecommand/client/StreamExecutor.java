package io.kubehop.streaming.remotecommand.client;

import io.kubehop.streaming.remotecommand.StreamOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * The client side of one exec/attach toward a fixed target (client-go's {@code
 * remotecommand.Executor}): run the remote command with these local streams (null when not
 * requested) and complete when it is over, failing with {@link
 * io.kubehop.streaming.remotecommand.ExitCodeException} on a non-zero exit and with {@link
 * UpgradeFailureException} when the upgrade itself was refused (the only case a {@link
 * FallbackExecutor} retries). Implementations touch {@code stdin} only after the upgrade succeeded,
 * so a fallback can still read it.
 */
@FunctionalInterface
public interface StreamExecutor {
  Future<Void> stream(
      StreamOptions options,
      ReadStream<Buffer> stdin,
      WriteStream<Buffer> stdout,
      WriteStream<Buffer> stderr);

  /**
   * Runs the remote command with a {@code resize} source too (raw JSON terminal sizes, {@code
   * {"Width":80,"Height":24}\n}, copied to the resize stream with tty; may be null) and tells
   * {@code onUpgraded} about the upgrade before data flows. The executors of this package honour
   * both; the default, for executors written as lambdas (tests), ignores them.
   */
  default Future<Void> stream(
      StreamOptions options,
      ReadStream<Buffer> stdin,
      WriteStream<Buffer> stdout,
      WriteStream<Buffer> stderr,
      ReadStream<Buffer> resize,
      Handler<Upgrade> onUpgraded) {
    return stream(options, stdin, stdout, stderr);
  }
}
