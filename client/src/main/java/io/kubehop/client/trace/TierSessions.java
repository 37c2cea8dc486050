package io.kubehop.client.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusException;
import io.kubehop.client.rest.ClusterConnection;
import io.kubehop.client.rest.JdkHttpTransport;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.RestClient;
import io.kubehop.streaming.inspect.DebugSessions;
import io.kubehop.streaming.inspect.SessionsView;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Asks every tier for its sessions: every apiserver, and each node's kubelet and runtime through
 * the apiserver's node proxy ({@code /api/v1/nodes/{name}/proxy/debug/sessions}, {@code
 * …/debug/sessions/runtime}: a kubelet answers only the apiserver's client certificate, and the
 * runtime listens on the node's loopback).
 *
 * <p>The apiservers: behind a balancer the kubeconfig's connection reaches one of them, whichever
 * the balancer picks, so the CLI first asks it for the directory of all of them ({@code GET
 * /debug/apiservers}, their identity Leases), then asks each at its own URL with the kubeconfig's
 * credentials. One whose Lease ran out (killed) is gone and not dialled; one that cannot be reached
 * is unreachable. When the directory names a single apiserver (the default cluster) it is the one
 * behind the kubeconfig, asked there as before; so is an apiserver that serves no directory.
 *
 * <p>A tier that cannot be asked is named on {@code warnings} and left out; with {@code --watch} a
 * warning is printed again only after it went away.
 */
public final class TierSessions implements AutoCloseable {

  /** How long one apiserver may take to answer before it counts as unreachable. */
  private static final Duration APISERVER_TIMEOUT = Duration.ofSeconds(5);

  private final RestClient api;
  private final PrintStream warnings;
  private final Clock clock;
  private final Map<String, RestClient> direct = new HashMap<>();
  private Set<String> warned = Set.of();
  private Set<String> warning = new LinkedHashSet<>();

  public TierSessions(RestClient api, PrintStream warnings) {
    this(api, warnings, Clock.systemUTC());
  }

  TierSessions(RestClient api, PrintStream warnings, Clock clock) {
    this.api = api;
    this.warnings = warnings;
    this.clock = clock;
  }

  /** Every apiserver's view, then each node's kubelet and runtime. */
  public List<SessionsView> collect() throws IOException {
    warning = new LinkedHashSet<>();
    try {
      List<SessionsView> views = new ArrayList<>(apiservers());
      List<SessionsView> runtimes = new ArrayList<>();
      for (JsonNode node : api.get("/api/v1/nodes", Query.of(), MediaTypes.JSON).path("items")) {
        String name = node.path("metadata").path("name").asText();
        String proxy = "/api/v1/nodes/" + Query.escapePath(name) + "/proxy" + DebugSessions.PATH;
        fetch(api, proxy, "kubelet " + name, false).ifPresent(views::add);
        fetch(api, proxy + "/runtime", "runtime of " + name, true).ifPresent(runtimes::add);
      }
      views.addAll(runtimes);
      return views;
    } finally {
      warned = warning;
    }
  }

  private List<SessionsView> apiservers() throws IOException {
    List<ApiServers.Entry> entries;
    try {
      entries = ApiServers.parse(api.get("/debug/apiservers", Query.of(), MediaTypes.JSON));
    } catch (StatusException e) {
      if (!Integer.valueOf(404).equals(e.status().code())) {
        throw e;
      }
      entries = List.of(); // an apiserver without the directory: the one behind the kubeconfig
    }
    Instant now = clock.instant();
    List<ApiServers.Entry> live = entries.stream().filter(a -> !a.gone(now)).toList();
    // the age grows on every poll: --watch repeats the warning only if the apiserver came back
    entries.stream()
        .filter(a -> a.gone(now))
        .forEach(a -> warn("gone " + a.id(), a.goneMessage(now)));
    if (entries.size() <= 1 || live.isEmpty()) {
      return List.of(
          ApiJson.fromTree(
              api.get(DebugSessions.PATH, Query.of(), MediaTypes.JSON), SessionsView.class));
    }
    List<SessionsView> views = new ArrayList<>();
    for (ApiServers.Entry a : live) {
      try {
        views.add(
            ApiJson.fromTree(
                direct(a.url()).get(DebugSessions.PATH, Query.of(), MediaTypes.JSON),
                SessionsView.class));
      } catch (StatusException e) {
        warn(
            "apiserver "
                + a.id()
                + " ("
                + a.url()
                + "): HTTP "
                + e.status().code()
                + " "
                + e.getMessage());
      } catch (IOException | RuntimeException e) {
        warn("apiserver " + a.id() + " (" + a.url() + "): unreachable: " + e.getMessage());
      }
    }
    return views;
  }

  /** A client for one apiserver at its own URL, with the kubeconfig's TLS and credentials. */
  private RestClient direct(String url) throws IOException {
    RestClient client = direct.get(url);
    if (client == null) {
      ClusterConnection c = api.connection();
      ClusterConnection own =
          new ClusterConnection(URI.create(url), c.tls(), c.bearerToken(), c.proxy());
      client = new RestClient(own, new JdkHttpTransport(own), APISERVER_TIMEOUT);
      direct.put(url, client);
    }
    return client;
  }

  private Optional<SessionsView> fetch(
      RestClient client, String path, String what, boolean quietIfUnknown) {
    try {
      return Optional.of(
          ApiJson.fromTree(client.get(path, Query.of(), MediaTypes.JSON), SessionsView.class));
    } catch (StatusException e) {
      if (Integer.valueOf(503).equals(e.status().code()) && quietIfUnknown) {
        return Optional.empty(); // no session went through that kubelet yet
      }
      warn(what + " (" + path + "): HTTP " + e.status().code() + " " + e.getMessage());
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      warn(what + " (" + path + "): " + e.getMessage());
      return Optional.empty();
    }
  }

  private void warn(String message) {
    warn(message, message);
  }

  /** Prints {@code message} unless the last collection warned of {@code key} too. */
  private void warn(String key, String message) {
    if (warning.add(key) && !warned.contains(key)) {
      warnings.println("kubehop trace: " + message);
    }
  }

  @Override
  public void close() {
    direct.values().forEach(RestClient::close);
    direct.clear();
  }
}
