package io.kubehop.streaming.remotecommand.server;

import io.kubehop.streaming.remotecommand.TerminalSize;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;

/**
 * A test executor for both transports: echoes stdin to stdout until stdin ends, records resizes
 * into {@code sizes}, then exits with {@code code}.
 */
record EchoExecutor(int code, List<TerminalSize> sizes) implements Executor {

  @Override
  public Future<Integer> execute(RemoteCommandStreams streams) {
    Promise<Integer> exit = Promise.promise();
    streams.resizeHandler(sizes::add);
    streams.stdin().handler(b -> streams.stdout().write(b));
    streams.stdin().endHandler(v -> exit.complete(code));
    streams.stdin().resume();
    return exit.future();
  }
}
