package io.kubehop.streaming.remotecommand.client;

import io.kubehop.streaming.remotecommand.StreamOptions;
import io.vertx.core.Future;
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
}
