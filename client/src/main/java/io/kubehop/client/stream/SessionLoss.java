package io.kubehop.client.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.RestClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * Names the hop that broke when a session ended without a Status: asks the apiserver about the
 * session ({@code GET /debug/sessions?id=}, at most {@link #QUERY_BOUND}) and says {@code
 * connection to kubelet <node> (<address>) lost after <d> s} when the apiserver saw the kubelet's
 * side end first; otherwise, and when the apiserver cannot be asked, {@code connection to apiserver
 * <host:port> lost after <d> s} with the CLI's own time since the upgrade.
 */
public final class SessionLoss {

  /** How long the CLI spends asking, in all. */
  public static final Duration QUERY_BOUND = Duration.ofSeconds(2);

  /** Path of the apiserver's session records; {@code ?id=} names one. */
  public static final String SESSIONS_PATH = "/debug/sessions";

  private static final Duration RETRY = Duration.ofMillis(100);

  private SessionLoss() {
    throw new AssertionError("No instances.");
  }

  /**
   * The message for the lost session {@code sessionId}; {@code client} is a REST client whose
   * request timeout is at most {@link #QUERY_BOUND}.
   */
  public static String message(
      RestClient client, String sessionId, String apiserver, Duration sinceUpgrade) {
    return message(lookup(client, sessionId), apiserver, sinceUpgrade);
  }

  /**
   * The session record, or null when the apiserver cannot tell. While the record still says {@code
   * open} (the apiserver closes the client's side as it notices the other end, and records it in
   * the same step, but the CLI may ask first) it is asked again until {@link #QUERY_BOUND}.
   */
  static JsonNode lookup(RestClient client, String sessionId) {
    long deadline = System.nanoTime() + QUERY_BOUND.toNanos();
    JsonNode session = null;
    while (System.nanoTime() < deadline) {
      try {
        session = client.get(SESSIONS_PATH, Query.of().add("id", sessionId), MediaTypes.JSON);
      } catch (IOException | RuntimeException unreachableOrUnknown) {
        return session;
      }
      if (!"open".equals(session.path("state").asText())) {
        return session;
      }
      try {
        Thread.sleep(RETRY.toMillis()); // polling a remote record: there is nothing to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return session;
      }
    }
    return session;
  }

  /** The message for a session record (null: unknown). */
  public static String message(JsonNode session, String apiserver, Duration sinceUpgrade) {
    JsonNode kubelet = null;
    if (session != null && "kubelet".equals(session.path("ended").path("first").asText())) {
      for (JsonNode hop : session.path("hops")) {
        if ("kubelet".equals(hop.path("peer").asText())) {
          kubelet = hop;
        }
      }
    }
    if (kubelet != null) {
      return "connection to kubelet "
          + kubelet.path("node").asText()
          + " ("
          + kubelet.path("remote").asText()
          + ") lost after "
          + seconds(session.path("durationMillis").asLong())
          + " s";
    }
    return "connection to apiserver "
        + apiserver
        + " lost after "
        + seconds(sinceUpgrade.toMillis())
        + " s";
  }

  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
  }
}
