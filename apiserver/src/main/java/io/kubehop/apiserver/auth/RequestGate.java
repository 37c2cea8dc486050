package io.kubehop.apiserver.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.http.Responses;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.transport.PostUpgrades;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Authentication, authorization and audit in front of the router, in upstream's filter order: who
 * is it (401 if the credentials are wrong, or missing while authentication is on), may they (403),
 * and for exec, attach and port-forward, write it down.
 *
 * <p>It runs before any route, so a refused upgrade gets an ordinary 401 or 403 and no 101, and a
 * refused write's body is never read.
 */
public final class RequestGate {

  /**
   * Paths anyone may GET, with or without credentials (upstream's {@code system:public-info-viewer}
   * bound to {@code system:unauthenticated} too).
   */
  public static final Set<String> PUBLIC_PATHS =
      Set.of("/healthz", "/readyz", "/livez", "/version", "/version/");

  private static final DateTimeFormatter RFC3339_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  private final Authenticator authenticator;
  private final Authorizer authorizer;
  private final AuditLog audit;
  private final Clock clock;

  /**
   * Allowed streaming requests whose line is not written yet, until their answer's head is: a
   * WebSocket 101 passes no hook, so those are matched to the session when it opens ({@link
   * #watch}).
   */
  private final Map<HttpServerRequest, Consumer<Integer>> unanswered = new ConcurrentHashMap<>();

  /**
   * @param audit null without {@code --audit-log-path}
   */
  public RequestGate(
      Authenticator authenticator, Authorizer authorizer, AuditLog audit, Clock clock) {
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Writes the allow line of an upgraded session when {@code hops} opens it, with the session id it
   * claimed: the moment its 101 went out, which Vert.x does not signal for a WebSocket.
   */
  public void watch(HopRegistry hops) {
    hops.onUpgraded(
        (hop, took) -> {
          for (Map.Entry<HttpServerRequest, Consumer<Integer>> e : unanswered.entrySet()) {
            if (hop.id().equals(e.getKey().getHeader(StreamHeaders.SESSION))) {
              e.getValue().accept(101);
            }
          }
        });
  }

  /** No authentication, {@code AlwaysAllow}, no audit: kubehop without any of the flags. */
  public static RequestGate open() {
    return new RequestGate(
        new Authenticator(null, false), Authorizer.ALWAYS_ALLOW, null, Clock.systemUTC());
  }

  /**
   * Who made {@code req}, if it may be routed ({@link UserInfo#ANONYMOUS} without credentials);
   * otherwise null, and it has been answered with a 401 or 403 Status and audited.
   */
  public UserInfo admit(HttpServerRequest req) {
    if (!authenticator.enabled() && authorizer == Authorizer.ALWAYS_ALLOW && audit == null) {
      return UserInfo.ANONYMOUS; // nothing to check or record: the default, exactly as before
    }
    RequestAttributes attributes =
        RequestAttributes.parse(PostUpgrades.method(req), req.path(), watchParam(req));
    Optional<UserInfo> user;
    try {
      user = authenticator.authenticate(req);
    } catch (StatusException unauthorized) {
      return refuse(req, null, attributes, unauthorized);
    }
    boolean isPublic = PUBLIC_PATHS.contains(req.path());
    if (user.isEmpty() && isPublic) {
      return UserInfo.ANONYMOUS;
    }
    if (user.isEmpty() && authenticator.enabled()) {
      return refuse(req, null, attributes, Authenticator.unauthorized());
    }
    UserInfo who = user.orElse(UserInfo.ANONYMOUS);
    if (!isPublic && !authorizer.authorize(who, attributes)) {
      return refuse(req, who, attributes, Forbidden.of(who, attributes));
    }
    if (audit != null && attributes.isConnect()) {
      auditWhenAnswered(req, who, attributes);
    }
    return who;
  }

  private UserInfo refuse(
      HttpServerRequest req, UserInfo user, RequestAttributes attributes, StatusException e) {
    if (audit != null) {
      audit.write(event(req, user, attributes, null, "deny", e.code()));
    }
    Responses.failure(req.response(), e);
    return null;
  }

  /**
   * The allow line of an exec, attach or port-forward is written when its answer's head is: then
   * the session id the apiserver claimed is known (the 101's {@code X-Kubehop-Session}), and so is
   * the status. Vert.x writes a WebSocket 101 without calling {@code headersEndHandler}: those are
   * written when their session opens ({@link #watch}), or, if it never does, when the connection
   * closes.
   */
  private void auditWhenAnswered(HttpServerRequest req, UserInfo user, RequestAttributes a) {
    AtomicBoolean written = new AtomicBoolean();
    Consumer<Integer> once =
        code -> {
          if (written.compareAndSet(false, true)) {
            unanswered.remove(req);
            String session = req.response().headers().get(StreamHeaders.SESSION);
            if (session == null && code == 101) {
              session = req.getHeader(StreamHeaders.SESSION); // pinned there by the claim
            }
            ObjectNode line = event(req, user, a, session, "allow", code);
            audit.write(line);
          }
        };
    unanswered.put(req, once);
    req.response().headersEndHandler(v -> once.accept(req.response().getStatusCode()));
    if (req.connection() != null) {
      req.connection().closeHandler(v -> once.accept(req.response().getStatusCode()));
    }
  }

  private ObjectNode event(
      HttpServerRequest req,
      UserInfo user,
      RequestAttributes a,
      String session,
      String decision,
      int code) {
    ObjectNode e = ApiJson.mapper().createObjectNode();
    e.put("time", RFC3339_MILLIS.format(clock.instant()));
    if (user != null) {
      e.put("user", user.name());
      ArrayNode groups = e.putArray("groups");
      user.groups().forEach(groups::add);
    }
    e.put("verb", a.verb());
    if (!a.resourceRequest()) {
      e.put("path", a.path());
    } else {
      e.put("resource", a.resource());
      putIfPresent(e, "subresource", a.subresource());
      putIfPresent(e, "namespace", a.namespace());
      putIfPresent(e, "name", a.name());
    }
    if (a.isConnect()) {
      List<String> container = params(req, "container");
      if (!container.isEmpty()) {
        e.put("container", container.get(0));
      }
      List<String> command = params(req, "command");
      if (!command.isEmpty()) {
        ArrayNode c = e.putArray("command");
        command.forEach(c::add);
      }
    }
    putIfPresent(e, "sessionId", session);
    e.put("decision", decision);
    e.put("code", code);
    return e;
  }

  private static void putIfPresent(ObjectNode e, String field, String value) {
    if (value != null) {
      e.put(field, value);
    }
  }

  private static String watchParam(HttpServerRequest req) {
    List<String> watch = params(req, "watch");
    return watch.isEmpty() ? null : watch.get(0);
  }

  /** A query parameter's values; none when the query is malformed (the handler will say so). */
  private static List<String> params(HttpServerRequest req, String name) {
    try {
      return req.params().getAll(name);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }

  /** Writes what the audit log has queued and closes it. */
  public void close() {
    if (audit != null) {
      audit.close();
    }
  }
}
