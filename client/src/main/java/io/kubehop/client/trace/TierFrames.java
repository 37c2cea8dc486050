package io.kubehop.client.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.meta.StatusException;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.RestClient;
import io.kubehop.streaming.inspect.DebugFrames;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asks the apiserver and every kubelet (through the apiserver's node proxy, as {@link TierSessions}
 * does) for the frames they traced of one session ({@code GET /debug/frames}), and merges them in
 * time order. Each call returns only what is new since the last one, so a follower calls it again
 * and again. A tier that traces nothing is named once on {@code warnings}.
 */
public final class TierFrames {

  private static final Comparator<JsonNode> IN_TIME_ORDER =
      Comparator.comparing((JsonNode e) -> e.path("time").asText())
          .thenComparing(e -> e.path("tier").asText())
          .thenComparingLong(e -> e.path("seq").asLong());

  private final RestClient api;
  private final PrintStream warnings;
  private final String session;
  private final Map<String, Long> seen = new HashMap<>();
  private final Set<String> silent = new HashSet<>();

  public TierFrames(RestClient api, PrintStream warnings, String session) {
    this.api = api;
    this.warnings = warnings;
    this.session = session;
  }

  /** The frames the tiers traced of the session since the last call, oldest first. */
  public List<JsonNode> poll() throws IOException {
    List<JsonNode> events = new ArrayList<>();
    fetch(DebugFrames.PATH, "the apiserver", events);
    for (JsonNode node : api.get("/api/v1/nodes", Query.of(), MediaTypes.JSON).path("items")) {
      String name = node.path("metadata").path("name").asText();
      fetch(
          "/api/v1/nodes/" + Query.escapePath(name) + "/proxy" + DebugFrames.PATH,
          "the kubelet of " + name,
          events);
    }
    events.sort(IN_TIME_ORDER);
    return events;
  }

  private void fetch(String path, String what, List<JsonNode> into) {
    long after = seen.getOrDefault(path, 0L);
    try {
      JsonNode answer =
          api.get(
              path,
              Query.of().add("session", session).add("after", Long.toString(after)),
              MediaTypes.JSON);
      for (JsonNode event : answer.path("events")) {
        into.add(event);
        after = Math.max(after, event.path("seq").asLong());
      }
      seen.put(path, after);
    } catch (StatusException e) {
      if (silent.add(path)) {
        warnings.println(
            "kubehop trace: "
                + what
                + (Integer.valueOf(404).equals(e.status().code())
                    ? " traces no frames (start it with --trace-frames)"
                    : ": HTTP " + e.status().code() + " " + e.getMessage()));
      }
    } catch (IOException | RuntimeException e) {
      if (silent.add(path)) {
        warnings.println("kubehop trace: " + what + " (" + path + "): " + e.getMessage());
      }
    }
  }
}
