package io.kubehop.kubelet.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.core.WatchEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * The pods bound to this node, as a reflector sees them: list (with {@code
 * fieldSelector=spec.nodeName=<node>}), then watch from the list's resourceVersion; when the watch
 * ends or fails, wait (with backoff on failures) and list again. Every list hands the full set to
 * {@link Listener#onList}; every watch event goes to {@link Listener#onEvent}.
 */
public final class PodSource {

  private static final Logger LOG = Logger.getLogger(PodSource.class.getName());
  private static final long MIN_BACKOFF_MS = 200;
  private static final long MAX_BACKOFF_MS = 5000;

  /** What the pod source reports. Called on the kubelet's context. */
  public interface Listener {
    /** The complete set of pods bound to the node, as raw API objects. */
    void onList(List<JsonNode> pods);

    /** One watch event: {@code ADDED}, {@code MODIFIED} or {@code DELETED} with the pod object. */
    void onEvent(String type, JsonNode pod);
  }

  private final Vertx vertx;
  private final ApiClient api;
  private final String selector;
  private final Listener listener;
  private long backoffMs = MIN_BACKOFF_MS;
  private volatile boolean stopped;

  public PodSource(Vertx vertx, ApiClient api, String nodeName, Listener listener) {
    this.vertx = vertx;
    this.api = api;
    this.selector = URLEncoder.encode("spec.nodeName=" + nodeName, StandardCharsets.UTF_8);
    this.listener = listener;
  }

  public void start() {
    cycle();
  }

  public void stop() {
    stopped = true;
  }

  private void cycle() {
    if (stopped) {
      return;
    }
    listAndWatch()
        .onComplete(
            ar -> {
              if (stopped) {
                return;
              }
              long delay;
              if (ar.succeeded()) {
                // A watch the server ended normally: re-list soon, but never in a tight loop.
                backoffMs = MIN_BACKOFF_MS;
                delay = MIN_BACKOFF_MS;
              } else {
                LOG.warning(
                    "pod list/watch failed, retrying in "
                        + backoffMs
                        + "ms: "
                        + ar.cause().getMessage());
                delay = backoffMs;
                backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
              }
              vertx.setTimer(delay, id -> cycle());
            });
  }

  private Future<Void> listAndWatch() {
    return api.get("/api/v1/pods?fieldSelector=" + selector)
        .compose(
            resp -> {
              if (!resp.ok()) {
                return Future.failedFuture("list pods: HTTP " + resp.status() + " " + resp.body());
              }
              JsonNode list = resp.json();
              List<JsonNode> pods = new ArrayList<>();
              list.path("items").forEach(pods::add);
              listener.onList(pods);
              backoffMs = MIN_BACKOFF_MS;
              String rv = list.path("metadata").path("resourceVersion").asText("");
              // Like client-go's reflector: ask the server to end the watch after 5-10 minutes, so
              // that a silently dead
              // watch cannot last forever, and spread the re-lists of many kubelets.
              long timeoutSeconds = 300 + ThreadLocalRandom.current().nextLong(300);
              return api.watch(
                  "/api/v1/pods?fieldSelector="
                      + selector
                      + "&watch=true&resourceVersion="
                      + rv
                      + "&allowWatchBookmarks=true&timeoutSeconds="
                      + timeoutSeconds,
                  this::onWatchEvent);
            });
  }

  private void onWatchEvent(JsonNode event) {
    String type = event.path("type").asText();
    switch (type) {
      case WatchEvent.ADDED, WatchEvent.MODIFIED, WatchEvent.DELETED ->
          listener.onEvent(type, event.path("object"));
      case WatchEvent.BOOKMARK -> {}
      // An ERROR event (e.g. 410 Gone: resourceVersion too old) ends this watch; the next cycle
      // re-lists.
      default -> throw new IllegalStateException("watch error event: " + event.path("object"));
    }
  }
}
