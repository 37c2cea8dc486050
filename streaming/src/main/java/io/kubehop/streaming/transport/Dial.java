package io.kubehop.streaming.transport;

import io.vertx.core.net.ConnectOptions;
import java.net.URI;

/**
 * Where a tier dials the next hop, from its URL: host, port, and TLS for {@code https} (the
 * kubelet's port), plain for {@code http} (a runtime's streaming server that a redirect leads to,
 * which serves plain HTTP on loopback with single-use tokens, as containerd's does). The TLS
 * material is the dialling client's own ({@link TlsFiles#client}).
 */
public final class Dial {

  private Dial() {
    throw new AssertionError("No instances.");
  }

  /** Whether {@code location} is dialled over TLS. */
  public static boolean tls(URI location) {
    return "https".equalsIgnoreCase(location.getScheme());
  }

  /** The port of {@code location}, or its scheme's default. */
  public static int port(URI location) {
    return location.getPort() > 0 ? location.getPort() : tls(location) ? 443 : 80;
  }

  /** Connect options for {@code location}. */
  public static ConnectOptions to(URI location) {
    return new ConnectOptions()
        .setHost(location.getHost())
        .setPort(port(location))
        .setSsl(tls(location));
  }
}
