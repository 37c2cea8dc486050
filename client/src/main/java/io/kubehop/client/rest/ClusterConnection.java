package io.kubehop.client.rest;

import java.net.URI;
import java.util.Optional;

/**
 * Everything needed to reach one apiserver: the server URL (scheme, host, port, optional path
 * prefix), TLS material, credentials and the kubeconfig's {@code proxy-url}. Both the plain REST
 * transport and the upgrading (SPDY/WebSocket) transports are built from this one value, so adding
 * TLS or auth never touches the commands.
 *
 * @param server the apiserver base URL, e.g. {@code http://127.0.0.1:6443}
 * @param tls TLS material for {@code https} servers
 * @param bearerToken the user's bearer token, if any
 * @param proxy the cluster's {@code proxy-url}, if any
 */
public record ClusterConnection(
    URI server, TlsConfig tls, Optional<String> bearerToken, Optional<URI> proxy) {

  public ClusterConnection {
    String scheme = server.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("server URL must be http or https: " + server);
    }
  }

  /** A connection without a proxy. */
  public ClusterConnection(URI server, TlsConfig tls, Optional<String> bearerToken) {
    this(server, tls, bearerToken, Optional.empty());
  }

  public boolean isTls() {
    return "https".equals(server.getScheme());
  }

  /**
   * The Authorization header value to send, if any. Like client-go, credentials travel only over
   * TLS: kubectl never sends its token over plain http (docs/wire-captures.md §4.3).
   */
  public Optional<String> authorization() {
    return isTls() ? bearerToken.map(t -> "Bearer " + t) : Optional.empty();
  }

  /** {@code host:port} as kubectl prints it in connection errors. */
  public String hostPort() {
    int port = server.getPort() != -1 ? server.getPort() : isTls() ? 443 : 80;
    return server.getHost() + ":" + port;
  }

  /** The absolute URI of an API path (which starts with {@code /} and may carry a query). */
  public URI resolve(String pathAndQuery) {
    String base = server.toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + pathAndQuery);
  }
}
