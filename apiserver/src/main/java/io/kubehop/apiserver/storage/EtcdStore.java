package io.kubehop.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.kubehop.etcd.etcdserverpb.CompactionRequest;
import io.kubehop.etcd.etcdserverpb.Compare;
import io.kubehop.etcd.etcdserverpb.DeleteRangeRequest;
import io.kubehop.etcd.etcdserverpb.PutRequest;
import io.kubehop.etcd.etcdserverpb.RangeRequest;
import io.kubehop.etcd.etcdserverpb.RangeResponse;
import io.kubehop.etcd.etcdserverpb.RequestOp;
import io.kubehop.etcd.etcdserverpb.TxnRequest;
import io.kubehop.etcd.mvccpb.KeyValue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * A {@link Store} on etcd v3, laid out as upstream's apiserver lays it out ({@link EtcdKeys}), so
 * several apiservers can share one etcd. The resourceVersion is etcd's revision: a list's is the
 * Range's header revision, an object's its key's mod_revision. A create is a Txn on {@code
 * create_revision == 0}; an update or a delete is a compare-and-swap on {@code mod_revision},
 * retried with the value the failed Txn read, as upstream's GuaranteedUpdate does: an update
 * function may run several times and must depend on nothing but its argument. Watches are served by
 * one shared etcd watch ({@link EtcdWatchCache}). Compaction is left to etcd ({@code
 * --auto-compaction-*}).
 */
public final class EtcdStore implements Store {

  private static final Logger LOG = Logger.getLogger(EtcdStore.class.getName());

  private final EtcdClient etcd;
  private final EtcdKeys keys;
  private final EtcdWatchCache cache;

  private EtcdStore(EtcdClient etcd, EtcdKeys keys, EtcdWatchCache cache) {
    this.etcd = etcd;
    this.keys = keys;
    this.cache = cache;
  }

  /**
   * Connects to {@code servers} ({@code http://host:port}; the first one reachable is used), reads
   * etcd's current revision and opens the shared watch from there; {@code historySize} events are
   * kept for watches to replay.
   */
  public static Future<EtcdStore> open(
      Vertx vertx, List<URI> servers, String prefix, int historySize) {
    EtcdClient etcd = new EtcdClient(vertx, servers);
    EtcdKeys keys = new EtcdKeys(prefix);
    return etcd.range(
            RangeRequest.newBuilder()
                .setKey(keys.all())
                .setRangeEnd(EtcdKeys.rangeEnd(keys.all()))
                .setCountOnly(true)
                .build())
        .compose(
            r -> {
              long revision = r.getHeader().getRevision();
              EtcdWatchCache cache = new EtcdWatchCache(vertx, etcd, keys, historySize, revision);
              LOG.info(
                  "store etcd "
                      + etcd.member()
                      + " prefix "
                      + keys.all().toStringUtf8()
                      + ": "
                      + r.getCount()
                      + " keys, revision "
                      + revision);
              return cache.start().map(v -> new EtcdStore(etcd, keys, cache));
            })
        .onFailure(e -> etcd.close());
  }

  @Override
  public Future<ObjectNode> get(StoreKey key) {
    return read(keys.key(key))
        .compose(
            kv ->
                kv == null
                    ? Future.failedFuture(new StoreException.NotFound(key))
                    : Future.succeededFuture(EtcdKeys.decode(kv)));
  }

  private Future<KeyValue> read(ByteString key) {
    return etcd.range(RangeRequest.newBuilder().setKey(key).build())
        .map(r -> r.getKvsCount() == 0 ? null : r.getKvs(0));
  }

  @Override
  public Future<Listing> list(String resource, String namespace) {
    ByteString prefix = keys.prefix(resource, namespace);
    return etcd.range(
            RangeRequest.newBuilder().setKey(prefix).setRangeEnd(EtcdKeys.rangeEnd(prefix)).build())
        .map(
            r -> {
              List<ObjectNode> items = new ArrayList<>(r.getKvsCount());
              for (KeyValue kv : r.getKvsList()) {
                if (keys.parse(kv.getKey()) != null) {
                  items.add(EtcdKeys.decode(kv));
                }
              }
              return new Listing(items, r.getHeader().getRevision());
            });
  }

  @Override
  public Future<ObjectNode> create(StoreKey key, ObjectNode object) {
    ByteString k = keys.key(key);
    TxnRequest txn =
        TxnRequest.newBuilder()
            .addCompare(
                Compare.newBuilder()
                    .setKey(k)
                    .setTarget(Compare.CompareTarget.CREATE)
                    .setResult(Compare.CompareResult.EQUAL)
                    .setCreateRevision(0))
            .addSuccess(put(k, object))
            .build();
    return etcd.txn(txn)
        .compose(
            t ->
                t.getSucceeded()
                    ? Future.succeededFuture(
                        EtcdKeys.stamp(object.deepCopy(), t.getHeader().getRevision()))
                    : Future.failedFuture(new StoreException.AlreadyExists(key)));
  }

  @Override
  public Future<ObjectNode> update(StoreKey key, UnaryOperator<ObjectNode> update) {
    ByteString k = keys.key(key);
    return read(k).compose(kv -> tryUpdate(key, k, kv, update));
  }

  /** One round of the compare-and-swap loop, from {@code kv} as last read. */
  private Future<ObjectNode> tryUpdate(
      StoreKey key, ByteString k, KeyValue kv, UnaryOperator<ObjectNode> update) {
    if (kv == null) {
      return Future.failedFuture(new StoreException.NotFound(key));
    }
    ObjectNode current = EtcdKeys.decode(kv);
    ObjectNode next = update.apply(current.deepCopy());
    String wanted = next.path("metadata").path("resourceVersion").asText("");
    if (!wanted.isEmpty() && !wanted.equals(Long.toString(kv.getModRevision()))) {
      return Future.failedFuture(new StoreException.Conflict(key));
    }
    if (Objects.equals(withoutVersion(next), withoutVersion(current))) {
      return Future.succeededFuture(current); // a no-op keeps its resourceVersion, as upstream's
    }
    return etcd.txn(swap(k, kv, put(k, next)))
        .compose(
            t -> {
              if (t.getSucceeded()) {
                return Future.succeededFuture(EtcdKeys.stamp(next, t.getHeader().getRevision()));
              }
              return tryUpdate(key, k, latest(t.getResponses(0).getResponseRange()), update);
            });
  }

  @Override
  public Future<ObjectNode> delete(StoreKey key, Consumer<ObjectNode> precondition) {
    ByteString k = keys.key(key);
    return read(k).compose(kv -> tryDelete(key, k, kv, precondition));
  }

  private Future<ObjectNode> tryDelete(
      StoreKey key, ByteString k, KeyValue kv, Consumer<ObjectNode> precondition) {
    if (kv == null) {
      return Future.failedFuture(new StoreException.NotFound(key));
    }
    ObjectNode current = EtcdKeys.decode(kv);
    precondition.accept(current.deepCopy());
    RequestOp delete =
        RequestOp.newBuilder()
            .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(k))
            .build();
    return etcd.txn(swap(k, kv, delete))
        .compose(
            t -> {
              if (t.getSucceeded()) {
                return Future.succeededFuture(EtcdKeys.stamp(current, t.getHeader().getRevision()));
              }
              return tryDelete(key, k, latest(t.getResponses(0).getResponseRange()), precondition);
            });
  }

  /** {@code op} if {@code k} is still at {@code kv}'s mod_revision, else a read of its latest. */
  private static TxnRequest swap(ByteString k, KeyValue kv, RequestOp op) {
    return TxnRequest.newBuilder()
        .addCompare(
            Compare.newBuilder()
                .setKey(k)
                .setTarget(Compare.CompareTarget.MOD)
                .setResult(Compare.CompareResult.EQUAL)
                .setModRevision(kv.getModRevision()))
        .addSuccess(op)
        .addFailure(
            RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(k)).build())
        .build();
  }

  private static KeyValue latest(RangeResponse r) {
    return r.getKvsCount() == 0 ? null : r.getKvs(0);
  }

  private static RequestOp put(ByteString k, ObjectNode object) {
    return RequestOp.newBuilder()
        .setRequestPut(PutRequest.newBuilder().setKey(k).setValue(EtcdKeys.encode(object)))
        .build();
  }

  private static ObjectNode withoutVersion(ObjectNode o) {
    ObjectNode c = o.deepCopy();
    if (c.get("metadata") instanceof ObjectNode m) {
      m.remove("resourceVersion");
    }
    return c;
  }

  @Override
  public Future<Subscription> watch(long fromResourceVersion, Consumer<StoreEvent> listener) {
    try {
      return Future.succeededFuture(cache.subscribe(fromResourceVersion, listener));
    } catch (StoreException.Expired e) {
      return Future.failedFuture(e);
    }
  }

  /** What the shared watch has processed: a list may already be ahead of it. */
  @Override
  public long currentResourceVersion() {
    return cache.processed();
  }

  @Override
  public Future<Void> close() {
    return cache.stop().compose(v -> etcd.close());
  }

  /** etcd's Compact, for tests: revisions before {@code revision} are gone afterwards. */
  Future<Void> compact(long revision) {
    return etcd.compact(
            CompactionRequest.newBuilder().setRevision(revision).setPhysical(true).build())
        .mapEmpty();
  }

  /** For tests: see {@link EtcdWatchCache#pause()}. */
  Future<Void> pauseWatch() {
    return cache.pause();
  }

  void resumeWatch() {
    cache.resume();
  }
}
