package io.kubehop.client.stream;

import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.portforward.client.PortForwarder;
import io.kubehop.streaming.spdy.SpdyDialer;
import io.kubehop.streaming.spdy.TunnelingDialer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.io.PrintStream;
import java.util.List;

/**
 * How {@code kubehop port-forward} reaches a pod's {@code portforward} subresource, per {@link
 * Transport}: SPDY/3.1 is a POST upgrade offering {@code portforward.k8s.io} (kubectl ≤ 1.30), the
 * WebSocket tunnel a GET offering {@code SPDY/3.1+portforward.k8s.io} with SPDY framed in binary
 * messages (kubectl 1.31+), and auto the tunnel first, SPDY when the tunnel's upgrade is refused
 * (as kubectl 1.31+ falls back on {@code IsUpgradeFailure}). With a log (verbosity 6) each attempt
 * prints its request line, the offered and chosen protocol, the answer, and the session id.
 */
public final class PortForwardDialer implements PortForwarder.Dialer {

  private final StreamingClient client;
  private final Transport transport;
  private final String path;
  private final String sessionId;
  private final PrintStream log;

  /**
   * @param path the subresource path, e.g. {@code /api/v1/namespaces/default/pods/web/portforward}
   * @param log where the handshake is printed, or null
   */
  public PortForwardDialer(
      StreamingClient client, Transport transport, String path, String sessionId, PrintStream log) {
    this.client = client;
    this.transport = transport;
    this.path = path;
    this.sessionId = sessionId;
    this.log = log;
  }

  @Override
  public Future<SpdyDialer.Upgraded> dial(String protocol) {
    return switch (transport) {
      case SPDY -> spdy(protocol);
      case WEBSOCKET -> tunnel(protocol);
      case AUTO ->
          tunnel(protocol)
              .recover(
                  e -> {
                    if (!(e instanceof SpdyDialer.UpgradeFailedException)) {
                      return Future.failedFuture(e);
                    }
                    log("falling back to SPDY/3.1: the tunnel's upgrade was refused");
                    return spdy(protocol);
                  });
    };
  }

  private Future<SpdyDialer.Upgraded> spdy(String protocol) {
    log(
        "POST "
            + url()
            + " (Upgrade: SPDY/3.1, offering "
            + StreamHeaders.PROTOCOL_VERSION
            + ": "
            + protocol
            + ", session "
            + sessionId
            + ")");
    return logged(
        SpdyDialer.dial(
            client.vertx(),
            client.netClient(),
            client.host(),
            client.port(),
            "POST",
            client.uri(path),
            List.of(protocol),
            client.headers(sessionId)),
        StreamHeaders.PROTOCOL_VERSION,
        "");
  }

  private Future<SpdyDialer.Upgraded> tunnel(String protocol) {
    log(
        "GET "
            + url()
            + " (Upgrade: websocket, offering "
            + StreamHeaders.WEBSOCKET_PROTOCOL
            + ": "
            + TunnelingDialer.TUNNELING_PREFIX
            + protocol
            + ", session "
            + sessionId
            + ")");
    return logged(
        TunnelingDialer.dial(
            client.vertx(),
            client.webSocketClient(),
            client.host(),
            client.port(),
            client.uri(path),
            List.of(protocol),
            client.headers(sessionId)),
        StreamHeaders.WEBSOCKET_PROTOCOL,
        TunnelingDialer.TUNNELING_PREFIX);
  }

  private Future<SpdyDialer.Upgraded> logged(
      Future<SpdyDialer.Upgraded> attempt, String protocolHeader, String prefix) {
    if (log == null) {
      return attempt;
    }
    return attempt
        .onSuccess(
            up -> {
              MultiMap headers = up.responseHeaders();
              String echoed = headers.get(StreamHeaders.SESSION);
              log(
                  "101 Switching Protocols: chose "
                      + protocolHeader
                      + ": "
                      + prefix
                      + up.protocol()
                      + ", session "
                      + (echoed != null ? echoed + " (echoed by the server)" : sessionId));
            })
        .onFailure(
            e -> {
              if (e instanceof SpdyDialer.UpgradeFailedException refused) {
                log(
                    (refused.status() < 0 ? "upgrade failed" : Integer.toString(refused.status()))
                        + ": "
                        + refused.body().trim());
              } else {
                log("upgrade failed: " + e.getMessage());
              }
            });
  }

  private String url() {
    return client.connection().resolve(path).toString();
  }

  private void log(String line) {
    if (log != null) {
      log.println(line);
      log.flush();
    }
  }
}
