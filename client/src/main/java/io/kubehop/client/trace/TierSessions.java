package io.kubehop.client.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusException;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.RestClient;
import io.kubehop.streaming.inspect.DebugSessions;
import io.kubehop.streaming.inspect.SessionsView;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks every tier for its sessions, all through the kubeconfig's connection to the apiserver: the
 * apiserver's own, and each node's kubelet's and runtime's through the apiserver's node proxy
 * ({@code /api/v1/nodes/{name}/proxy/debug/sessions}, {@code …/debug/sessions/runtime}: a kubelet
 * answers only the apiserver's client certificate, and the runtime listens on the node's loopback).
 * A tier that cannot be asked is named on {@code warnings} and left out.
 */
public final class TierSessions {

  private final RestClient api;
  private final PrintStream warnings;

  public TierSessions(RestClient api, PrintStream warnings) {
    this.api = api;
    this.warnings = warnings;
  }

  /** The apiserver's view, then each node's kubelet and runtime. */
  public List<SessionsView> collect() throws IOException {
    List<SessionsView> views = new ArrayList<>();
    views.add(
        ApiJson.fromTree(
            api.get(DebugSessions.PATH, Query.of(), MediaTypes.JSON), SessionsView.class));
    List<SessionsView> runtimes = new ArrayList<>();
    for (JsonNode node : api.get("/api/v1/nodes", Query.of(), MediaTypes.JSON).path("items")) {
      String name = node.path("metadata").path("name").asText();
      String proxy = "/api/v1/nodes/" + Query.escapePath(name) + "/proxy" + DebugSessions.PATH;
      fetch(proxy, "kubelet " + name, false).ifPresent(views::add);
      fetch(proxy + "/runtime", "runtime of " + name, true).ifPresent(runtimes::add);
    }
    views.addAll(runtimes);
    return views;
  }

  private Optional<SessionsView> fetch(String path, String what, boolean quietIfUnknown) {
    try {
      return Optional.of(
          ApiJson.fromTree(api.get(path, Query.of(), MediaTypes.JSON), SessionsView.class));
    } catch (StatusException e) {
      if (Integer.valueOf(503).equals(e.status().code()) && quietIfUnknown) {
        return Optional.empty(); // no session went through that kubelet yet
      }
      warnings.println(
          "kubehop trace: "
              + what
              + " ("
              + path
              + "): HTTP "
              + e.status().code()
              + " "
              + e.getMessage());
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      warnings.println("kubehop trace: " + what + " (" + path + "): " + e.getMessage());
      return Optional.empty();
    }
  }
}
