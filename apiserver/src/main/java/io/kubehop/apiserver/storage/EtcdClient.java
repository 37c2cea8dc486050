package io.kubehop.apiserver.storage;

import io.kubehop.etcd.etcdserverpb.CompactionRequest;
import io.kubehop.etcd.etcdserverpb.CompactionResponse;
import io.kubehop.etcd.etcdserverpb.KVGrpcClient;
import io.kubehop.etcd.etcdserverpb.RangeRequest;
import io.kubehop.etcd.etcdserverpb.RangeResponse;
import io.kubehop.etcd.etcdserverpb.TxnRequest;
import io.kubehop.etcd.etcdserverpb.TxnResponse;
import io.kubehop.etcd.etcdserverpb.WatchGrpcClient;
import io.kubehop.etcd.etcdserverpb.WatchRequest;
import io.kubehop.etcd.etcdserverpb.WatchResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

/**
 * The few etcd v3 calls {@link EtcdStore} makes, over the stubs of the {@code etcd-api} module. A
 * call whose connection fails moves on to the next of {@code --etcd-servers} and is retried there,
 * once per member. A call etcd answered with an error status is not retried. A Txn whose connection
 * broke after etcd applied it is retried too, and then fails its compare, as with any etcd client:
 * the store reads the key again and decides from what it finds. A failure carries etcd's gRPC
 * status and message ({@link EtcdException}).
 */
final class EtcdClient {

  private final GrpcClient grpc;
  private final List<SocketAddress> members;

  /** Index into {@link #members} of the one calls go to; volatile: calls come from any context. */
  private volatile int current;

  EtcdClient(Vertx vertx, List<URI> servers) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no etcd servers");
    }
    // Vert.x gRPC refuses messages over 256 KiB by default, and a list is one Range response: a few
    // hundred pods made every list of them fail (bench/store.sh found it). Upstream's apiserver
    // lets its
    // etcd client receive up to 2 GiB (MaxCallRecvMsgSize = math.MaxInt32); so does this one.
    this.grpc =
        GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(Integer.MAX_VALUE));
    this.members =
        servers.stream()
            .map(
                u -> {
                  if (!"http".equals(u.getScheme()) || u.getHost() == null) {
                    throw new IllegalArgumentException(
                        "etcd server " + u + ": only http://host:port is supported");
                  }
                  return SocketAddress.inetSocketAddress(
                      u.getPort() < 0 ? 2379 : u.getPort(), u.getHost());
                })
            .toList();
  }

  /** The member calls go to now, e.g. for log lines. */
  SocketAddress member() {
    return members.get(current);
  }

  /** Calls after a connection failure go to the next member. */
  void failover(SocketAddress failed) {
    int i = members.indexOf(failed);
    if (i == current && members.size() > 1) {
      current = (i + 1) % members.size();
    }
  }

  Future<RangeResponse> range(RangeRequest request) {
    return unary(KVGrpcClient.Range, request, members.size());
  }

  Future<TxnResponse> txn(TxnRequest request) {
    return unary(KVGrpcClient.Txn, request, members.size());
  }

  Future<CompactionResponse> compact(CompactionRequest request) {
    return unary(KVGrpcClient.Compact, request, members.size());
  }

  private <Q, R> Future<R> unary(ServiceMethod<R, Q> method, Q request, int attempts) {
    SocketAddress member = member();
    return grpc.request(member, method)
        .recover(e -> Future.failedFuture(unreachable(member, e)))
        .compose(
            req ->
                req.end(request)
                    .compose(v -> req.response())
                    .recover(e -> Future.failedFuture(unreachable(member, e)))
                    .compose(
                        resp ->
                            resp.last()
                                .recover(
                                    e ->
                                        Future.failedFuture(
                                            resp.status() != null && resp.status() != GrpcStatus.OK
                                                ? new EtcdException(
                                                    resp.status(), resp.statusMessage())
                                                : unreachable(member, e)))))
        .recover(
            e -> {
              if (e instanceof EtcdException ee
                  && ee.status() == GrpcStatus.UNAVAILABLE
                  && attempts > 1) {
                failover(member);
                return unary(method, request, attempts - 1);
              }
              return Future.failedFuture(e);
            });
  }

  private static EtcdException unreachable(SocketAddress member, Throwable e) {
    return new EtcdException(GrpcStatus.UNAVAILABLE, "etcd " + member + ": " + e.getMessage());
  }

  /**
   * Opens a Watch stream on the current member. {@code responses} is attached before anything is
   * written, since Vert.x gRPC drops response messages that arrive before a handler is set; the
   * caller writes its WatchCreateRequest on the returned request. {@code ended} gets the reason the
   * stream ended (null: etcd closed it without an error status).
   */
  Future<GrpcClientRequest<WatchRequest, WatchResponse>> watch(
      Consumer<WatchResponse> responses, Consumer<Throwable> ended) {
    SocketAddress member = member();
    return grpc.request(member, WatchGrpcClient.Watch)
        .recover(e -> Future.failedFuture(unreachable(member, e)))
        .map(
            req -> {
              req.response()
                  .onFailure(e -> ended.accept(unreachable(member, e)))
                  .onSuccess(
                      resp -> {
                        resp.handler(responses::accept);
                        resp.exceptionHandler(e -> ended.accept(unreachable(member, e)));
                        resp.endHandler(
                            v ->
                                ended.accept(
                                    resp.status() == null || resp.status() == GrpcStatus.OK
                                        ? null
                                        : new EtcdException(resp.status(), resp.statusMessage())));
                      });
              req.exceptionHandler(e -> ended.accept(unreachable(member, e)));
              return req;
            });
  }

  Future<Void> close() {
    return grpc.close();
  }

  /** An etcd call that failed, with its gRPC status (UNAVAILABLE: etcd was not reached). */
  static final class EtcdException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient GrpcStatus status;

    EtcdException(GrpcStatus status, String message) {
      super(
          "etcd: " + status.name() + (message == null || message.isEmpty() ? "" : ": " + message));
      this.status = status;
    }

    GrpcStatus status() {
      return status;
    }
  }
}
