package io.kubehop.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: a TCP connection to an echo (the socat chain ending in a local raw {@code cat}).
 */
final class TcpEcho extends EchoPeer {

  private final NetSocket socket;

  private TcpEcho(Context context, NetSocket socket) {
    super(context);
    this.socket = socket;
  }

  static TcpEcho connect(Vertx vertx, String host, int port) throws Exception {
    Context context = vertx.getOrCreateContext();
    // connected from the context, the socket's handlers run on it, where round trips are timed
    NetSocket socket =
        Future.<NetSocket>future(
                p ->
                    context.runOnContext(
                        v ->
                            vertx
                                .createNetClient(new NetClientOptions().setTcpNoDelay(true))
                                .connect(port, host)
                                .onComplete(p)))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    TcpEcho echo = new TcpEcho(context, socket);
    context.runOnContext(v -> socket.handler(echo.arrivals::write));
    return echo;
  }

  @Override
  protected void send(Buffer data) {
    socket.write(data);
  }

  @Override
  public void close() {
    socket.close();
  }
}
