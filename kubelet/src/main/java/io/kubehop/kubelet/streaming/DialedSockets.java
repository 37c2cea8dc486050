package io.kubehop.kubelet.streaming;

import io.vertx.core.Future;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@link NetClient} of one proxied request: dials through the kubelet's shared client and remembers what it
 * dialled, so that a failed proxy attempt can close its connection to the runtime.
 *
 * <p>Why: when the client (the apiserver) leaves while the runtime is answering the upgrade, taking the client
 * connection over throws instead of failing ({@code NoSuchElementException: httpDecoder}, vertx-notes.md §1), and
 * {@code UpgradeAwareProxy} then never closes the runtime connection, which it has paused: the kubelet would keep it
 * for good. Closing it here is harmless on the other failure paths (the proxy already closed it). Confined to the
 * request's context; {@link #close()} leaves the shared client alone.
 */
final class DialedSockets implements NetClient {

  private final NetClient shared;
  private final List<NetSocket> sockets = new ArrayList<>();

  DialedSockets(NetClient shared) {
    this.shared = shared;
  }

  /** Closes every connection dialled for this request. */
  void closeAll() {
    sockets.forEach(NetSocket::close);
  }

  private Future<NetSocket> remember(Future<NetSocket> dialled) {
    return dialled.onSuccess(sockets::add);
  }

  @Override
  public Future<NetSocket> connect(int port, String host) {
    return remember(shared.connect(port, host));
  }

  @Override
  public Future<NetSocket> connect(int port, String host, String serverName) {
    return remember(shared.connect(port, host, serverName));
  }

  @Override
  public Future<NetSocket> connect(SocketAddress remoteAddress) {
    return remember(shared.connect(remoteAddress));
  }

  @Override
  public Future<NetSocket> connect(SocketAddress remoteAddress, String serverName) {
    return remember(shared.connect(remoteAddress, serverName));
  }

  @Override
  public Future<NetSocket> connect(ConnectOptions options) {
    return remember(shared.connect(options));
  }

  @Override
  public Future<Void> shutdown(long timeout, TimeUnit unit) {
    return Future.succeededFuture(); // the shared client outlives every request
  }

  @Override
  public Future<Boolean> updateSSLOptions(ClientSSLOptions options, boolean force) {
    return shared.updateSSLOptions(options, force);
  }
}
