package io.kubehop.kubelet.fake;

import io.kubehop.streaming.cri.StreamingServer;
import io.kubehop.streaming.remotecommand.server.RemoteCommandStreams;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.List;
import java.util.Optional;

/**
 * A runtime behind the real CRI streaming server whose "commands" are scripted, in any container:
 *
 * <ul>
 *   <li>{@code echo ARGS…}: ARGS joined by spaces and a newline on stdout, exit 0;
 *   <li>{@code cat}: stdin to stdout (with backpressure) until stdin ends, exit 0;
 *   <li>{@code stderr TEXT}: TEXT on stderr, exit 0;
 *   <li>{@code exit N}: exit N;
 *   <li>anything else: the session fails with {@code executable file not found in $PATH};
 *   <li>attach: {@code attached} and a newline on stdout, then like {@code cat} if stdin was
 *       requested.
 * </ul>
 *
 * It has no sandboxes to forward into.
 */
public final class ScriptedRuntime implements StreamingServer.Runtime {

  @Override
  public Future<Integer> exec(String containerId, List<String> cmd, RemoteCommandStreams streams) {
    List<String> args = cmd.subList(1, cmd.size());
    return switch (cmd.get(0)) {
      case "echo" -> streams.stdout().write(Buffer.buffer(String.join(" ", args) + "\n")).map(0);
      case "cat" -> cat(streams);
      case "stderr" -> streams.stderr().write(Buffer.buffer(String.join(" ", args))).map(0);
      case "exit" -> Future.succeededFuture(Integer.parseInt(args.get(0)));
      default ->
          Future.failedFuture(new IllegalStateException("executable file not found in $PATH"));
    };
  }

  @Override
  public Future<Integer> attach(String containerId, RemoteCommandStreams streams) {
    return streams
        .stdout()
        .write(Buffer.buffer("attached\n"))
        .compose(v -> streams.stdin() == null ? Future.succeededFuture(0) : cat(streams));
  }

  @Override
  public Optional<StreamingServer.PortForwardTarget> portForward(String podSandboxId) {
    return Optional.empty();
  }

  /**
   * Copies stdin to stdout with backpressure; completes with 0 at stdin's end, 137 when the client
   * vanishes.
   */
  private static Future<Integer> cat(RemoteCommandStreams streams) {
    Promise<Integer> exit = Promise.promise();
    ReadStream<Buffer> in = streams.stdin();
    WriteStream<Buffer> out = streams.stdout();
    in.handler(
        b -> {
          out.write(b);
          if (out.writeQueueFull()) {
            in.pause();
            out.drainHandler(v -> in.resume());
          }
        });
    in.endHandler(v -> exit.tryComplete(0));
    streams.closeFuture().onComplete(v -> exit.tryComplete(137));
    in.resume();
    return exit.future();
  }
}
