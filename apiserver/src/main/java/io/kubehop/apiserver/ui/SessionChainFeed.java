package io.kubehop.apiserver.ui;

import io.kubehop.api.json.ApiJson;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.subresource.NodeLocator;
import io.kubehop.streaming.inspect.DebugSessions;
import io.kubehop.streaming.inspect.SessionChains;
import io.kubehop.streaming.inspect.SessionsView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Supplier;

/**
 * The live sessions of the whole cluster as server-sent events, for {@code /ui}: while anyone
 * watches, it asks every tier twice a second, as {@code kubehop trace} does (the apiserver's own
 * view; each node's kubelet's and runtime's {@code /debug/sessions} over the apiserver's kubelet
 * client), merges them into one chain per session ({@link SessionChains}) and sends {@code
 * {"sessions":[…]}} to every watcher when it changed. One poll serves every page.
 */
public final class SessionChainFeed {

  /** How often the tiers are asked: they push nothing. */
  static final long PERIOD_MILLIS = 500;

  private final Vertx vertx;
  private final Store store;
  private final NodeLocator nodes;
  private final HttpClientAgent kubelets;
  private final Supplier<SessionsView> local;
  private final Set<HttpServerResponse> watchers = new CopyOnWriteArraySet<>();
  private long timer = -1;
  private boolean polling; // on the timer's event loop
  private volatile String last;

  public SessionChainFeed(
      Vertx vertx,
      Store store,
      NodeLocator nodes,
      HttpClientAgent kubelets,
      Supplier<SessionsView> local) {
    this.vertx = vertx;
    this.store = store;
    this.nodes = nodes;
    this.kubelets = kubelets;
    this.local = local;
  }

  /** Sends the chains to {@code response} until its client goes away. Call on its event loop. */
  public void watch(HttpServerResponse response) {
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    response.write(": kubehop sessions\n\n");
    if (last != null) {
      response.write(event(last));
    }
    watchers.add(response);
    response.closeHandler(v -> unwatch(response));
    response.exceptionHandler(e -> unwatch(response));
    synchronized (this) {
      if (timer < 0) {
        timer = vertx.setPeriodic(0, PERIOD_MILLIS, id -> poll());
      }
    }
  }

  private synchronized void unwatch(HttpServerResponse response) {
    watchers.remove(response);
    if (watchers.isEmpty() && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
      last = null;
    }
  }

  private void poll() {
    if (polling) {
      return; // the last round is still out: a slow kubelet must not pile requests up
    }
    polling = true;
    collect()
        .map(SessionChains::merge)
        .onComplete(
            ar -> {
              polling = false;
              if (ar.failed()) {
                return;
              }
              String json = ApiJson.write(Map.of("sessions", ar.result()));
              if (!json.equals(last)) {
                last = json;
                Buffer event = event(json);
                for (HttpServerResponse w : watchers) {
                  if (!w.writeQueueFull()) { // a watcher that does not read misses states, never
                    w.write(event); // grows the apiserver's memory
                  }
                }
              }
            });
  }

  private static Buffer event(String json) {
    return Buffer.buffer("data: ").appendString(json).appendString("\n\n");
  }

  /** The apiserver's view, then each node's kubelet's, then the runtimes', as trace merges them. */
  private Future<List<SessionsView>> collect() {
    return store
        .list("nodes", null)
        .compose(
            listing -> {
              List<Future<Optional<SessionsView>>> kubeletViews = new ArrayList<>();
              List<Future<Optional<SessionsView>>> runtimeViews = new ArrayList<>();
              for (var node : listing.items()) {
                String name = node.path("metadata").path("name").asText();
                kubeletViews.add(fetch(name, DebugSessions.PATH));
                runtimeViews.add(fetch(name, DebugSessions.PATH + "/runtime"));
              }
              List<Future<Optional<SessionsView>>> all = new ArrayList<>(kubeletViews);
              all.addAll(runtimeViews);
              return Future.join(all)
                  .transform(
                      done -> {
                        List<SessionsView> views = new ArrayList<>();
                        views.add(local.get());
                        for (Future<Optional<SessionsView>> f : all) {
                          if (f.succeeded()) {
                            f.result().ifPresent(views::add);
                          }
                        }
                        return Future.succeededFuture(views);
                      });
            });
  }

  /**
   * A tier's sessions on {@code node}; empty when it cannot be asked (a node down is simply not in
   * the picture). A connection of its own per question, as the node proxy does.
   */
  private Future<Optional<SessionsView>> fetch(String node, String path) {
    return nodes
        .locate(node)
        .compose(
            kubelet ->
                kubelets
                    .connect(
                        new HttpConnectOptions()
                            .setHost(kubelet.host())
                            .setPort(kubelet.port())
                            .setSsl(kubelet.tls()))
                    .compose(
                        conn ->
                            conn.request(
                                    new RequestOptions()
                                        .setMethod(HttpMethod.GET)
                                        .setHost(kubelet.host())
                                        .setPort(kubelet.port())
                                        .setURI(path))
                                .compose(r -> r.send())
                                .compose(
                                    r ->
                                        r.body()
                                            .map(
                                                body ->
                                                    r.statusCode() == 200
                                                        ? parse(body)
                                                        : Optional.<SessionsView>empty()))
                                .onComplete(v -> conn.close())))
        .otherwise(Optional.empty());
  }

  private static Optional<SessionsView> parse(Buffer body) {
    try {
      return Optional.of(ApiJson.read(body.getBytes(), SessionsView.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
