package io.kubehop.streaming.remotecommand.server;

import io.vertx.core.Future;

/**
 * What a runtime provides to run a remote command (kubelet's {@code remotecommand.Executor}/{@code
 * Attacher}): start the process (or attach) with these streams and report how it ended.
 *
 * <p>Complete with the exit code (0 = success, anything else is reported as NonZeroExitCode), or
 * fail with an {@link io.kubehop.streaming.remotecommand.ExitCodeException} to choose the error
 * text yourself, or with any other exception for an internal error. Never block the calling event
 * loop: process I/O belongs on worker threads. Stream back-pressure is the executor's to honour
 * ({@code writeQueueFull}/{@code drainHandler} on stdout/stderr, {@code pause}/{@code resume} on
 * stdin).
 */
@FunctionalInterface
public interface Executor {
  Future<Integer> execute(RemoteCommandStreams streams);
}
