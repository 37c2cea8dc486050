package io.kubehop.apiserver.debug;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.http.Responses;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.HopSession;
import io.kubehop.streaming.proxy.Peer;
import io.kubehop.streaming.proxy.SessionEnd;
import io.kubehop.streaming.proxy.SessionSubject;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code GET /debug/kubehop/sessions/{id}}: what this apiserver knows of one streaming session,
 * live or among the last {@value HopRegistry#REMEMBERED} closed, so that a client whose stream
 * ended without a Status can learn which hop broke:
 *
 * <pre>
 * {"id":"cli-…","kind":"exec","pod":"default/demo","container":"main","state":"closed",
 *  "openedAt":"2026-12-03T22:41:40.123Z","durationMillis":4210,
 *  "kubelet":{"node":"node-1","address":"127.0.1.1:10250"},
 *  "ended":{"first":"kubelet","how":"closed","status":false}}
 * </pre>
 *
 * {@code ended} is absent while the session is open; {@code first} is {@code client}, {@code
 * kubelet} or {@code apiserver}; {@code status} whether a v4/v5 Status reached the client (known
 * only where the apiserver translates, false where it splices). An unknown id is a 404 Status.
 */
public final class SessionsEndpoint {

  /** The path prefix; the rest of the path is the session id. */
  public static final String PREFIX = "/debug/kubehop/sessions/";

  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final HopRegistry sessions;

  public SessionsEndpoint(HopRegistry sessions) {
    this.sessions = sessions;
  }

  public void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      throw StatusException.methodNotAllowed();
    }
    String id = req.path().substring(PREFIX.length());
    HopSession session =
        sessions.find(id).orElseThrow(() -> StatusException.notFound("sessions", id));
    Responses.json(req.response(), 200, json(session));
  }

  static ObjectNode json(HopSession session) {
    ObjectNode out = ApiJson.mapper().createObjectNode();
    out.put("id", session.id());
    SessionSubject subject = session.subject().orElse(null);
    if (subject != null) {
      out.put("kind", subject.subresource());
      out.put("pod", subject.pod());
      if (subject.container() != null) {
        out.put("container", subject.container());
      }
    }
    SessionEnd end = session.ended().orElse(null);
    out.put("state", end == null ? "open" : "closed");
    out.put("openedAt", MILLIS.format(session.opened()));
    out.put("durationMillis", session.durationMillis());
    Peer kubelet = session.backend();
    ObjectNode k = out.putObject("kubelet");
    if (kubelet.name() != null) {
      k.put("node", kubelet.name());
    }
    k.put("address", kubelet.address());
    if (end != null) {
      ObjectNode e = out.putObject("ended");
      e.put("first", side(end.first()));
      e.put("how", end.how().name().toLowerCase(Locale.ROOT));
      e.put("status", session.statusDelivered());
    }
    return out;
  }

  private static String side(SessionEnd.Side side) {
    return switch (side) {
      case CLIENT -> "client";
      case BACKEND -> "kubelet";
      case SELF -> "apiserver";
    };
  }
}
