package io.kubehop.streaming.spdy;

import io.kubehop.streaming.httpstream.Handshake;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.UpgradeRequests;
import io.kubehop.streaming.transport.DuplexTransport;
import io.kubehop.streaming.transport.UpgradeHeaders;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The server side of a SPDY upgrade, the counterpart of {@link SpdyDialer}, shared by every SPDY
 * server (remotecommand, port-forward): negotiate {@code X-Stream-Protocol-Version} against the
 * server's list (no common one: 403 with {@code X-Accepted-Stream-Protocol-Versions} and upstream's
 * body), require the SPDY upgrade headers (400 otherwise), answer 101 and start a server {@link
 * SpdySession} with the idle timeout.
 */
public final class SpdyUpgrade {

  private SpdyUpgrade() {
    throw new AssertionError("No instances.");
  }

  /**
   * Upgrades {@code req} and hands the negotiated protocol (empty when the client named none) and
   * the session to {@code serve}. Completes with {@code serve}'s result, or once a refusal was
   * answered.
   */
  public static Future<Void> serve(
      Vertx vertx,
      HttpServerRequest req,
      List<String> protocols,
      Duration idleTimeout,
      BiFunction<String, SpdySession, Future<Void>> serve) {
    Handshake.Result result = Handshake.handshake(req.headers(), protocols);
    if (result instanceof Handshake.Result.Refused refused) {
      HttpServerResponse resp = plainText(req, 403);
      refused
          .serverProtocols()
          .forEach(p -> resp.headers().add(StreamHeaders.ACCEPTED_PROTOCOL_VERSIONS, p));
      return resp.end(refused.body());
    }
    if (!UpgradeRequests.isSpdyUpgrade(req.headers())) {
      return plainText(req, 400)
          .end(UpgradeRequests.missingUpgradeHeadersMessage(req.headers()) + "\n");
    }
    String negotiated = ((Handshake.Result.Accepted) result).protocol();
    HttpServerResponse resp =
        req.response()
            .putHeader(UpgradeHeaders.CONNECTION, "Upgrade")
            .putHeader(UpgradeHeaders.UPGRADE, UpgradeHeaders.SPDY_31);
    if (!negotiated.isEmpty()) {
      resp.putHeader(StreamHeaders.PROTOCOL_VERSION, negotiated);
    }
    return req.toNetSocket()
        .compose(
            socket ->
                serve.apply(
                    negotiated,
                    SpdySession.start(vertx, DuplexTransport.of(socket), SpdySession.Role.SERVER)
                        .idleTimeout(idleTimeout)));
  }

  /** A plain-text response as Go's {@code http.Error} writes it. */
  public static HttpServerResponse plainText(HttpServerRequest req, int code) {
    return req.response()
        .setStatusCode(code)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("X-Content-Type-Options", "nosniff");
  }
}
