package io.kubehop.client.stream;

import io.kubehop.client.rest.ClusterConnection;
import io.kubehop.client.rest.TlsContexts;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.remotecommand.client.FallbackExecutor;
import io.kubehop.streaming.remotecommand.client.SpdyExecutor;
import io.kubehop.streaming.remotecommand.client.StreamExecutor;
import io.kubehop.streaming.remotecommand.client.Upgrade;
import io.kubehop.streaming.remotecommand.client.WebSocketExecutor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.TrustManagerFactory;

/**
 * The streaming side of the CLI: one small Vert.x instance with a TCP client (SPDY/3.1 upgrades,
 * which Vert.x's HTTP client cannot hand over as raw bytes) and a WebSocket client, both set up
 * from the same {@link ClusterConnection} as the REST transport (TLS material, host name
 * verification, bearer token). Commands build their executors here and close it when they end.
 */
public final class StreamingClient implements AutoCloseable {

  /** kubectl's {@code User-Agent} shape, so server logs tell the clients apart. */
  public static final String USER_AGENT =
      "kubehop/0.1.0 (" + System.getProperty("os.name").toLowerCase() + ")";

  /**
   * Vert.x's and Netty's own log lines (e.g. {@code Connection evicted} after a refused WebSocket
   * upgrade) would land in the middle of the user's stderr; failures reach the CLI as results. Held
   * here so that the level sticks (JUL keeps loggers weakly).
   */
  private static final List<Logger> QUIET =
      List.of(Logger.getLogger("io.vertx"), Logger.getLogger("io.netty"));

  static {
    QUIET.forEach(l -> l.setLevel(Level.OFF));
  }

  private final ClusterConnection connection;
  private final Vertx vertx;
  private final NetClient netClient;
  private final WebSocketClient webSocketClient;

  public StreamingClient(ClusterConnection connection) throws IOException {
    this.connection = connection;
    // One event loop is plenty for one CLI session; the blocked-thread checker would only add
    // noise.
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(2)
                .setBlockedThreadCheckInterval(1)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.HOURS)
                // Vert.x's file cache is a temp directory created at start and walked at close;
                // the CLI reads no files through Vert.x.
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
    try {
      this.netClient = vertx.createNetClient(tls(new NetClientOptions().setTcpNoDelay(true)));
      this.webSocketClient =
          vertx.createWebSocketClient(
              tls(
                  new WebSocketClientOptions()
                      // Vert.x queues a 51st WebSocket to one host until another closes (its
                      // default maxConnections is 50); kubectl sets no such limit, and a queued
                      // exec or port-forward connection would wait forever behind held sessions.
                      // Not -1, documented as "no limit": Vert.x 5.0's WebSocketGroup compares
                      // with it as a size and then queues every connection.
                      .setMaxConnections(Integer.MAX_VALUE)
                      .setMaxFrameSize(1 << 20)
                      .setMaxMessageSize(64 << 20)
                      .setTcpNoDelay(true)));
    } catch (IOException | RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  private <T extends ClientOptionsBase> T tls(T options) throws IOException {
    connection
        .proxy()
        .ifPresent(
            // The kubeconfig's proxy-url, as for the REST client: an http proxy, through CONNECT.
            proxy ->
                options.setProxyOptions(
                    new ProxyOptions()
                        .setType(ProxyType.HTTP)
                        .setHost(proxy.getHost())
                        .setPort(proxy.getPort() == -1 ? 80 : proxy.getPort())));
    if (!connection.isTls()) {
      return options;
    }
    options.setSsl(true);
    try {
      if (connection.tls().insecureSkipVerify()) {
        options.setTrustAll(true);
      } else {
        TrustManagerFactory trust = TlsContexts.trustManagerFactory(connection.tls());
        if (trust != null) {
          options.setTrustOptions(TrustOptions.wrap(trust));
        }
      }
      if (connection.tls().clientCertPem() != null && connection.tls().clientKeyPem() != null) {
        options.setKeyCertOptions(KeyCertOptions.wrap(TlsContexts.keyManagers(connection.tls())));
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("unable to load TLS configuration: " + e.getMessage(), e);
    }
    // Host names are checked as kubectl checks them, unless verification is off altogether.
    String verification = connection.tls().insecureSkipVerify() ? "" : "HTTPS";
    if (options instanceof NetClientOptions net) {
      net.setHostnameVerificationAlgorithm(verification);
    } else if (options instanceof WebSocketClientOptions ws) {
      ws.setVerifyHost(!connection.tls().insecureSkipVerify());
    }
    return options;
  }

  public Vertx vertx() {
    return vertx;
  }

  public ClusterConnection connection() {
    return connection;
  }

  public NetClient netClient() {
    return netClient;
  }

  public WebSocketClient webSocketClient() {
    return webSocketClient;
  }

  public String host() {
    return connection.server().getHost();
  }

  public int port() {
    int port = connection.server().getPort();
    return port != -1 ? port : connection.isTls() ? 443 : 80;
  }

  /** The request URI of an API path: the server URL's path prefix, if any, then the path. */
  public String uri(String pathAndQuery) {
    String prefix = connection.server().getRawPath();
    if (prefix == null || prefix.equals("/")) {
      prefix = "";
    } else if (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return prefix + pathAndQuery;
  }

  /**
   * The headers every upgrade request carries: User-Agent, the bearer token (over TLS only, as
   * client-go), and the session id that each tier logs and passes on to the next hop.
   */
  public Map<String, String> headers(String sessionId) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", USER_AGENT);
    connection.authorization().ifPresent(a -> headers.put("Authorization", a));
    if (sessionId != null) {
      headers.put(StreamHeaders.SESSION, sessionId);
    }
    return headers;
  }

  public SpdyExecutor.Target spdyTarget(String method, String pathAndQuery, String sessionId) {
    return new SpdyExecutor.Target(host(), port(), method, uri(pathAndQuery), headers(sessionId));
  }

  /**
   * An executor for an exec or attach subresource ({@code pathAndQuery} with its query) on {@code
   * transport}: WebSocket is a GET upgrade, SPDY a POST upgrade, as kubectl sends them.
   */
  public StreamExecutor executor(Transport transport, String pathAndQuery, String sessionId) {
    return executor(transport, pathAndQuery, sessionId, new HandshakeListener() {});
  }

  /**
   * As {@link #executor(Transport, String, String)}, telling {@code listener} about each upgrade
   * attempt, and failing with {@link io.kubehop.streaming.remotecommand.MissingStatusException}
   * when the session ends without a Status (a lost connection, never a success for the CLI).
   */
  public StreamExecutor executor(
      Transport transport, String pathAndQuery, String sessionId, HandshakeListener listener) {
    String url = connection.resolve(pathAndQuery).toString();
    StreamExecutor spdy =
        observed(
            new SpdyExecutor(vertx, netClient)
                .requireStatus()
                .to(spdyTarget("POST", pathAndQuery, sessionId)),
            Upgrade.SPDY,
            "POST",
            url,
            StreamProtocol.SPDY_CLIENT_DEFAULT,
            listener);
    WebSocketExecutor ws = new WebSocketExecutor(vertx, webSocketClient).requireStatus();
    StreamExecutor webSocket =
        observed(
            ws.to(host(), port(), uri(pathAndQuery), headers(sessionId)),
            Upgrade.WEBSOCKET,
            "GET",
            url,
            ws.protocols(),
            listener);
    return switch (transport) {
      case SPDY -> spdy;
      case WEBSOCKET -> webSocket;
      case AUTO -> new FallbackExecutor(webSocket, spdy, FallbackExecutor::isUpgradeFailure);
    };
  }

  private static StreamExecutor observed(
      StreamExecutor executor,
      String transport,
      String method,
      String url,
      List<String> offered,
      HandshakeListener listener) {
    return new StreamExecutor() {
      @Override
      public Future<Void> stream(
          StreamOptions options,
          ReadStream<Buffer> stdin,
          WriteStream<Buffer> stdout,
          WriteStream<Buffer> stderr) {
        return stream(options, stdin, stdout, stderr, null, up -> {});
      }

      @Override
      public Future<Void> stream(
          StreamOptions options,
          ReadStream<Buffer> stdin,
          WriteStream<Buffer> stdout,
          WriteStream<Buffer> stderr,
          ReadStream<Buffer> resize,
          Handler<Upgrade> onUpgraded) {
        listener.attempt(transport, method, url, offered);
        AtomicBoolean upgraded = new AtomicBoolean();
        return executor.stream(
                options,
                stdin,
                stdout,
                stderr,
                resize,
                up -> {
                  upgraded.set(true);
                  listener.upgraded(up);
                  onUpgraded.handle(up);
                })
            .onFailure(
                e -> {
                  if (!upgraded.get()) {
                    listener.failed(transport, e);
                  }
                });
      }
    };
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
  }
}
