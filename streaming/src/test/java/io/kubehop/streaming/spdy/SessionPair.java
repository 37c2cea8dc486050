package io.kubehop.streaming.spdy;

import static io.kubehop.testkit.Await.await;

import io.kubehop.streaming.transport.DuplexTransport;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A client session and a server session over a real loopback TCP connection. */
final class SessionPair {

  final SpdySession client;
  final SpdySession server;
  final NetServer netServer;

  private SessionPair(SpdySession client, SpdySession server, NetServer netServer) {
    this.client = client;
    this.server = server;
    this.netServer = netServer;
  }

  /**
   * Connects; {@code serverSetup} runs on the server session's context before any frame is read.
   */
  static SessionPair connect(Vertx vertx, Handler<SpdySession> serverSetup) throws Exception {
    Promise<SpdySession> serverSession = Promise.promise();
    NetServer netServer =
        vertx
            .createNetServer()
            .connectHandler(
                socket -> {
                  SpdySession s =
                      SpdySession.start(vertx, DuplexTransport.of(socket), SpdySession.Role.SERVER);
                  serverSetup.handle(s);
                  serverSession.complete(s);
                });
    int port = await(netServer.listen(0, "127.0.0.1")).actualPort();
    CompletableFuture<SpdySession> client = new CompletableFuture<>();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v ->
                vertx
                    .createNetClient()
                    .connect(port, "127.0.0.1")
                    .onSuccess(socket -> client.complete(start(vertx, socket)))
                    .onFailure(client::completeExceptionally));
    return new SessionPair(
        client.get(10, TimeUnit.SECONDS), await(serverSession.future()), netServer);
  }

  private static SpdySession start(Vertx vertx, NetSocket socket) {
    return SpdySession.start(vertx, DuplexTransport.of(socket), SpdySession.Role.CLIENT);
  }
}
