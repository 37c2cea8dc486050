package io.kubehop.streaming.fault;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * A fault on a hop, for every session ({@code session} empty) or for one. Only streaming sessions'
 * sockets get faults: ordinary API requests never do.
 *
 * @param id given by the {@link FaultTable} that holds it: {@code f1}, {@code f2}, …
 */
public record FaultRule(String id, Hop hop, Optional<String> session, Fault fault, Instant added) {

  /** Whether this rule applies to a socket of {@code session} on {@code hop}. */
  public boolean matches(Hop hop, String session) {
    return this.hop == hop && (this.session.isEmpty() || this.session.get().equals(session));
  }

  /** {@code bandwidth 1MiB/s on apiserver-kubelet (all sessions)}. */
  public String describe() {
    return fault.describe()
        + " on "
        + hop.label()
        + session.map(s -> " (session " + s + ")").orElse(" (all sessions)");
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("hop", hop.label())
        .put("session", session.orElse(null))
        .put("fault", fault.toJson())
        .put("description", fault.describe())
        .put("added", added.toString());
  }

  /**
   * The rule a client asks for: {@code {"hop", "session" (optional), "fault": {...}}}, with an id
   * still to be given. IllegalArgumentException when it is malformed.
   */
  public static FaultRule request(JsonObject json) {
    Object hop = json.getValue("hop");
    if (!(hop instanceof String label)) {
      throw new IllegalArgumentException("a fault rule needs a hop");
    }
    Object session = json.getValue("session");
    if (session != null && !(session instanceof String)) {
      throw new IllegalArgumentException("session must be a string");
    }
    Object fault = json.getValue("fault");
    if (!(fault instanceof JsonObject f)) {
      throw new IllegalArgumentException("a fault rule needs a fault object");
    }
    return new FaultRule(
        "",
        Hop.parse(label),
        Optional.ofNullable((String) session).filter(s -> !s.isEmpty()),
        Fault.fromJson(f),
        Instant.now());
  }

  /** The JSON a client sends to ask for this rule. */
  public JsonObject requestJson() {
    return new JsonObject()
        .put("hop", hop.label())
        .put("session", session.orElse(null))
        .put("fault", fault.toJson());
  }

  /** A rule read back from {@link #toJson()}. */
  public static FaultRule fromJson(JsonObject json) {
    FaultRule r = request(json);
    return new FaultRule(
        json.getString("id", ""),
        r.hop(),
        r.session(),
        r.fault(),
        Instant.parse(json.getString("added", Instant.EPOCH.toString())));
  }
}
