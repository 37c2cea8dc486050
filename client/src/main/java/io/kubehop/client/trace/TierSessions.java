package io.kubehop.client.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.core.NodeAddress;
import io.kubehop.api.core.NodeStatus;
import io.kubehop.api.json.ApiJson;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.RestClient;
import io.kubehop.streaming.inspect.DebugSessions;
import io.kubehop.streaming.inspect.SessionsView;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks every tier for its sessions: the apiserver through the kubeconfig's connection, each node's
 * kubelet at the address and port its Node reports, and each node's runtime through its kubelet
 * ({@code /debug/sessions/runtime}: the runtime listens on the node's loopback). A tier that cannot
 * be asked is named on {@code warnings} and left out.
 */
public final class TierSessions {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final RestClient api;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
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
      NodeStatus status = ApiJson.fromTree(node.path("status"), NodeStatus.class);
      String address = status.address(NodeAddress.INTERNAL_IP).orElse(null);
      if (address == null || status.daemonEndpoints() == null) {
        warnings.println("kubehop trace: node " + name + " reports no kubelet address");
        continue;
      }
      String base = "http://" + address + ":" + status.daemonEndpoints().kubeletEndpoint().port();
      fetch(base + DebugSessions.PATH, "kubelet " + name, false).ifPresent(views::add);
      fetch(base + DebugSessions.PATH + "/runtime", "runtime of " + name, true)
          .ifPresent(runtimes::add);
    }
    views.addAll(runtimes);
    return views;
  }

  private Optional<SessionsView> fetch(String url, String what, boolean quietIfUnknown) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 503 && quietIfUnknown) {
        return Optional.empty(); // no session went through that kubelet yet
      }
      if (r.statusCode() != 200) {
        warnings.println("kubehop trace: " + what + " (" + url + "): HTTP " + r.statusCode());
        return Optional.empty();
      }
      return Optional.of(ApiJson.read(r.body(), SessionsView.class));
    } catch (IOException e) {
      warnings.println("kubehop trace: " + what + " (" + url + "): " + e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
