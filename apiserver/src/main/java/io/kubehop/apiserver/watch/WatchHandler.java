package io.kubehop.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusException;
import io.kubehop.api.meta.StatusReason;
import io.kubehop.apiserver.http.ApiRequest;
import io.kubehop.apiserver.http.MediaTypes;
import io.kubehop.apiserver.http.ResourceReads;
import io.kubehop.apiserver.http.Responses;
import io.kubehop.apiserver.registry.ResourceStrategy;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreException;
import io.kubehop.apiserver.table.TableBuilder;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * {@code ?watch=true}: streams the changes after {@code resourceVersion} (or, when it is empty or
 * {@code 0}, first an ADDED event per existing object, as upstream does), filtered by the label and
 * field selectors. Honours {@code timeoutSeconds} and {@code allowWatchBookmarks}; a
 * resourceVersion older than the retained history gets an ERROR event with a 410 Expired Status,
 * and so does a watch the store ends later because the history it needed is gone.
 */
public final class WatchHandler {

  private static final long BOOKMARK_INTERVAL_MS = 60_000;
  private static final long DEFAULT_TIMEOUT_SECONDS = 30 * 60;

  private final Vertx vertx;
  private final Store store;
  private final Clock clock;

  public WatchHandler(Vertx vertx, Store store, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
  }

  public void watch(ApiRequest req, ResourceStrategy strategy) {
    ResourceReads.Selection selection = ResourceReads.Selection.of(req, strategy);
    long from = parseVersion(req.param("resourceVersion"));
    long timeout = parseTimeout(req.param("timeoutSeconds"));
    boolean bookmarks = req.flag("allowWatchBookmarks");
    String table = MediaTypes.tableVersion(req.http().getHeader("Accept"));
    Function<ObjectNode, ObjectNode> render =
        table == null
            ? strategy::toExternal
            : o -> {
              ObjectNode t =
                  TableBuilder.build(strategy.table(), List.of(o), null, clock.instant());
              t.put("apiVersion", "meta.k8s.io/" + table);
              return t;
            };
    String resource = strategy.type().resource();
    WatchStream stream =
        new WatchStream(
            vertx.getOrCreateContext(),
            req.http().response(),
            render,
            resource + (req.namespace() == null ? "" : " in " + req.namespace()));
    Future<Long> start =
        from > 0
            ? Future.succeededFuture(from)
            : store
                .list(resource, req.namespace())
                .map(
                    listing -> {
                      for (ObjectNode o : listing.items()) {
                        if (selection.matches(o)) {
                          stream.send("ADDED", o);
                        }
                      }
                      return listing.resourceVersion();
                    });
    start
        .compose(
            rv -> {
              WatchFilter filter = new WatchFilter(resource, req.namespace(), selection, rv);
              return store.watch(
                  rv,
                  e -> {
                    String type = filter.typeFor(e);
                    if (type != null) {
                      stream.send(type, e.object());
                    }
                  });
            })
        .onComplete(
            ar -> {
              try {
                begin(ar, req, stream, timeout, bookmarks && table == null, strategy);
              } catch (RuntimeException e) {
                // never leave a subscription or a half-started stream behind
                if (ar.succeeded()) {
                  ar.result().cancel();
                }
                stream.fail(Responses.toStatus(e));
              }
            });
  }

  /**
   * Starts the stream once the subscription exists (or failed: 410 as an ERROR event, else a
   * Status).
   */
  private void begin(
      AsyncResult<Store.Subscription> ar,
      ApiRequest req,
      WatchStream stream,
      long timeout,
      boolean bookmarks,
      ResourceStrategy strategy) {
    if (ar.failed() && !(ar.cause() instanceof StoreException.Expired)) {
      Responses.failure(req.http().response(), ar.cause());
      return;
    }
    stream.start();
    if (ar.failed()) {
      stream.fail(Status.failure(410, StatusReason.GONE, ar.cause().getMessage(), null));
      return;
    }
    long timer = vertx.setTimer(timeout * 1000, t -> stream.end());
    long bookmarkTimer =
        bookmarks
            ? vertx.setPeriodic(
                BOOKMARK_INTERVAL_MS, t -> stream.send("BOOKMARK", bookmark(strategy)))
            : -1;
    stream.onClose(
        () -> {
          ar.result().cancel();
          vertx.cancelTimer(timer);
          if (bookmarkTimer >= 0) {
            vertx.cancelTimer(bookmarkTimer);
          }
        });
    if (stream.isClosed()) {
      ar.result().cancel();
    }
    // The store gave up on this watch (etcd's history it needed was compacted): end it, so that the
    // client relists; a reflector relists at once on 410, kubectl get -w exits.
    ar.result()
        .ended()
        .onFailure(
            t ->
                stream.fail(
                    t instanceof StoreException.Expired
                        ? Status.failure(410, StatusReason.GONE, t.getMessage(), null)
                        : Responses.toStatus(t)));
  }

  private ObjectNode bookmark(ResourceStrategy strategy) {
    ObjectNode o = ApiJson.mapper().createObjectNode();
    o.put("kind", strategy.type().kind()).put("apiVersion", strategy.apiVersion());
    ObjectNode meta = o.putObject("metadata");
    meta.put("resourceVersion", Long.toString(store.currentResourceVersion()));
    return o;
  }

  private static long parseVersion(String rv) {
    if (rv == null || rv.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(rv);
    } catch (NumberFormatException e) {
      throw new StatusException(
          Status.failure(400, StatusReason.BAD_REQUEST, "invalid resource version: " + rv, null));
    }
  }

  private static long parseTimeout(String t) {
    if (t == null || t.isEmpty()) {
      return DEFAULT_TIMEOUT_SECONDS;
    }
    try {
      long v = Long.parseLong(t);
      return v <= 0 ? DEFAULT_TIMEOUT_SECONDS : v;
    } catch (NumberFormatException e) {
      throw StatusException.badRequest("invalid value for timeoutSeconds: " + t);
    }
  }
}
