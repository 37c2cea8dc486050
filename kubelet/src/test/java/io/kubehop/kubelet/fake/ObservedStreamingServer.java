package io.kubehop.kubelet.fake;

import io.kubehop.streaming.cri.StreamingServer;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.transport.PostUpgrades;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime's real CRI streaming server over a {@link ScriptedRuntime}, mounted on a listener of
 * its own that counts the TCP connections it accepts and records each request's session id. Hand
 * {@link #server()} to a {@link FakeRuntime}, whose Exec and Attach then park their requests on it.
 *
 * <p>It offers remote-command V4…V1, what released CRI streaming servers offer (the runtime's own
 * offers V5 too), so a hop through it speaks {@code v4.channel.k8s.io} with a client that offers
 * V5.
 */
public final class ObservedStreamingServer implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> sessionIds = new CopyOnWriteArrayList<>();
  private final int port;
  private final StreamingServer server;

  public ObservedStreamingServer() throws Exception {
    HttpServer http = vertx.createHttpServer(StreamingServer.httpServerOptions());
    http.connectionHandler(
        connection -> {
          connections.incrementAndGet();
          PostUpgrades.install(connection);
        });
    http.requestHandler(this::serve);
    port = http.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    server =
        new StreamingServer(
            vertx,
            StreamingServer.Config.defaults()
                .withBaseUrl(url())
                .withSupportedRemoteCommandProtocols(StreamProtocol.SPDY_SERVER_DEFAULT),
            new ScriptedRuntime());
  }

  /** The streaming server, for {@link FakeRuntime#streaming}. */
  public StreamingServer server() {
    return server;
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
    sessionIds.add(req.getHeader(StreamHeaders.SESSION));
    server.handle(req);
  }
}
