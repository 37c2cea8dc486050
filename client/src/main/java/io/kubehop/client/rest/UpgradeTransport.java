package io.kubehop.client.rest;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The seam for subresources that switch protocols (exec, attach, portforward). Implementations
 * (SPDY/3.1 POST upgrade, WebSocket GET with {@code v5.channel.k8s.io}…) live beside {@link
 * JdkHttpTransport}, Vert.x based, and are built from the same {@link ClusterConnection} (scheme,
 * TLS material, token). {@link RestClient#upgradeRequest} gives them the request kubectl sends. A
 * non-101 answer fails the future with the server's Status ({@link ApiErrors#fromResponse}), which
 * a fallback decorator (WebSocket, then SPDY) inspects.
 *
 * @param <C> the upgraded connection type the streaming code defines
 */
public interface UpgradeTransport<C> extends AutoCloseable {

  /** Sends {@code request} offering {@code protocols}, in preference order. */
  CompletableFuture<C> upgrade(ApiRequest request, List<String> protocols);

  @Override
  void close();
}
