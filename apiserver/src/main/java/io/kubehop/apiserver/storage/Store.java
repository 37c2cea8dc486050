package io.kubehop.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The apiserver's storage interface, shaped after {@code k8s.io/apiserver/pkg/storage.Interface}:
 * {@link FileStore} (embedded) and {@link EtcdStore} implement it. Objects are Jackson trees, so no
 * field a client sent is lost. Every write takes a new, higher value of one global resourceVersion
 * counter (etcd's revision; not always the next one) and stamps it into {@code
 * metadata.resourceVersion}. Futures complete on the caller's Vert.x context.
 */
public interface Store {

  /** The object, or a failed future with {@link StoreException.NotFound}. */
  Future<ObjectNode> get(StoreKey key);

  /**
   * All objects of {@code resource} in {@code namespace} ({@code null} = all namespaces), with the
   * list's RV.
   */
  Future<Listing> list(String resource, String namespace);

  /** Creates; fails with {@link StoreException.AlreadyExists}. Returns the stored object. */
  Future<ObjectNode> create(StoreKey key, ObjectNode object);

  /**
   * Reads the current object, applies {@code update} (which may throw a StatusException to abort),
   * and stores the result, all atomically — like etcd's GuaranteedUpdate. If the result carries a
   * non-empty resourceVersion that differs from the stored one, fails with {@link
   * StoreException.Conflict}.
   */
  Future<ObjectNode> update(StoreKey key, UnaryOperator<ObjectNode> update);

  /**
   * Deletes, after {@code precondition} (which may throw) has seen the current object. Returns the
   * deleted object with the deletion's resourceVersion.
   */
  Future<ObjectNode> delete(StoreKey key, Consumer<ObjectNode> precondition);

  /**
   * Subscribes to every change after {@code fromResourceVersion} (0 = from now on). Events older
   * than the retained history fail with {@link StoreException.Expired}. The listener is called in
   * resourceVersion order, on a store thread: it must only hand the event over, never block. A
   * watch may also end on the store's side after it started: see {@link Subscription#ended()}.
   */
  Future<Subscription> watch(long fromResourceVersion, Consumer<StoreEvent> listener);

  /** The current value of the resourceVersion counter. */
  long currentResourceVersion();

  Future<Void> close();

  /** A list result: copies of the objects and the resourceVersion the list is consistent with. */
  record Listing(List<ObjectNode> items, long resourceVersion) {}

  /** A live watch subscription. */
  interface Subscription {
    void cancel();

    /**
     * Fails when the store ends this watch on its own: its source of events broke in a way that may
     * have lost some (the etcd store's shared watch came back after the revisions it missed were
     * compacted: {@link StoreException.Expired}). No more events follow, so the subscriber must
     * start over (a client relists). Never completes for a watch that only ends by {@link
     * #cancel()}; {@link FileStore} never ends one itself.
     */
    default Future<Void> ended() {
      return Promise.<Void>promise().future();
    }
  }
}
