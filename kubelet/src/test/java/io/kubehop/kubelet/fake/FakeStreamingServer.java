package io.kubehop.kubelet.fake;

import com.google.protobuf.Message;
import io.kubehop.cri.v1.AttachRequest;
import io.kubehop.cri.v1.ExecRequest;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.server.RemoteCommandServer;
import io.kubehop.streaming.remotecommand.server.RemoteCommandStreams;
import io.kubehop.streaming.transport.PostUpgrades;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime's CRI streaming server, for tests: serves {@code /exec/{token}} and {@code /attach/{token}} (GET and
 * POST) for the tokens a {@link FakeRuntime} issued, with the options of the cached CRI request (as upstream's
 * server does), and 404 {@code 404 page not found} otherwise. The "commands" are canned:
 * <ul>
 *   <li>{@code echo ARGS…}: ARGS joined by spaces and a newline on stdout, exit 0;
 *   <li>{@code cat}: stdin to stdout (with backpressure) until stdin ends, exit 0;
 *   <li>{@code stderr TEXT}: TEXT on stderr, exit 0;
 *   <li>{@code exit N}: exit N;
 *   <li>attach: {@code attached} and a newline on stdout, then like {@code cat} if stdin was requested.
 * </ul>
 */
public final class FakeStreamingServer implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final FakeRuntime runtime;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> sessionIds = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final int port;

  public FakeStreamingServer(FakeRuntime runtime) throws Exception {
    this.runtime = runtime;
    HttpServer server = vertx.createHttpServer(PostUpgrades.configure(new HttpServerOptions()));
    server.connectionHandler(connection -> {
      connections.incrementAndGet();
      PostUpgrades.install(connection);
    });
    server.requestHandler(this::serve);
    port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The {@code X-Kubehop-Session} of every request, in order (null where absent). */
  public List<String> sessionIds() {
    return sessionIds;
  }

  /** TCP connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void serve(HttpServerRequest req) {
    sessionIds.add(req.getHeader("X-Kubehop-Session"));
    String[] parts = req.path().split("/");
    Message request = parts.length == 3 ? runtime.takeStreamRequest(parts[2]) : null;
    if (request instanceof ExecRequest exec && parts[1].equals("exec")) {
      StreamOptions options = new StreamOptions(exec.getStdin(), exec.getStdout(), exec.getStderr(), exec.getTty());
      RemoteCommandServer.exec(vertx).serve(req, options, streams -> run(exec.getCmdList(), streams));
    } else if (request instanceof AttachRequest attach && parts[1].equals("attach")) {
      StreamOptions options = new StreamOptions(attach.getStdin(), attach.getStdout(), attach.getStderr(),
          attach.getTty());
      RemoteCommandServer.attach(vertx).serve(req, options, streams -> streams.stdout()
          .write(Buffer.buffer("attached\n"))
          .compose(v -> streams.stdin() == null ? Future.succeededFuture(0) : cat(streams)));
    } else {
      req.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("404 page not found\n");
    }
  }

  private static Future<Integer> run(List<String> cmd, RemoteCommandStreams streams) {
    List<String> args = cmd.subList(1, cmd.size());
    return switch (cmd.isEmpty() ? "" : cmd.get(0)) {
      case "echo" -> streams.stdout().write(Buffer.buffer(String.join(" ", args) + "\n")).map(0);
      case "cat" -> cat(streams);
      case "stderr" -> streams.stderr().write(Buffer.buffer(String.join(" ", args))).map(0);
      case "exit" -> Future.succeededFuture(Integer.parseInt(args.get(0)));
      default -> Future.failedFuture(new IllegalStateException("executable file not found in $PATH"));
    };
  }

  /** Copies stdin to stdout with backpressure; completes with 0 at stdin's end (or when the client vanishes). */
  private static Future<Integer> cat(RemoteCommandStreams streams) {
    Promise<Integer> exit = Promise.promise();
    ReadStream<Buffer> in = streams.stdin();
    WriteStream<Buffer> out = streams.stdout();
    in.handler(b -> {
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
