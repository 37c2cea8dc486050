package io.kubehop.kubelet;

import io.kubehop.cri.v1.RuntimeServiceClient;
import io.kubehop.kubelet.apiserver.ApiClient;
import io.kubehop.kubelet.apiserver.PodSource;
import io.kubehop.kubelet.cri.CriClient;
import io.kubehop.kubelet.node.NodeInfo;
import io.kubehop.kubelet.node.NodeStatusManager;
import io.kubehop.kubelet.pod.PodManager;
import io.kubehop.kubelet.server.ContainerLogsRoute;
import io.kubehop.kubelet.server.HealthzRoute;
import io.kubehop.kubelet.server.KubeletServer;
import io.kubehop.kubelet.server.PodsRoute;
import io.kubehop.kubelet.streaming.PortForwardRoute;
import io.kubehop.kubelet.streaming.ProxyForwarder;
import io.kubehop.kubelet.streaming.RedirectForwarder;
import io.kubehop.kubelet.streaming.RemoteCommandRoute;
import io.kubehop.kubelet.streaming.SessionsRoute;
import io.kubehop.kubelet.streaming.StreamForwarder;
import io.kubehop.kubelet.streaming.StreamingRuntime;
import io.kubehop.kubelet.streaming.SubjectForwarder;
import io.kubehop.kubelet.streaming.TranslatingForwarder;
import io.kubehop.streaming.fault.DebugFaults;
import io.kubehop.streaming.fault.FaultMetrics;
import io.kubehop.streaming.fault.FaultTable;
import io.kubehop.streaming.fault.Hop;
import io.kubehop.streaming.metrics.TierMetrics;
import io.kubehop.streaming.proxy.ErrorResponder;
import io.kubehop.streaming.proxy.HopFaults;
import io.kubehop.streaming.proxy.HopMetrics;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.HopSession;
import io.kubehop.streaming.proxy.StreamTranslator;
import io.kubehop.streaming.proxy.TunnelingHandler;
import io.kubehop.streaming.proxy.UpgradeAwareProxy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The kubelet: wires the apiserver client, the CRI client, the pod manager, the node status manager
 * and the HTTP server, all on this verticle's event loop (so that the kubelet's state needs no
 * locks). {@link #ready()} completes once the node is registered and the server listens.
 */
public final class Kubelet extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(Kubelet.class.getName());

  private final KubeletConfig config;
  private final NodeInfo nodeInfo;
  private final Promise<Integer> ready = Promise.promise();
  private ApiClient api;
  private GrpcClient grpc;
  private PodManager pods;
  private PodSource podSource;
  private NodeStatusManager nodeStatus;
  private KubeletServer server;
  private RuntimeServiceClient cri;
  private final HopRegistry hops = new HopRegistry("runtime");

  public Kubelet(KubeletConfig config, NodeInfo nodeInfo) {
    this.config = config;
    this.nodeInfo = nodeInfo;
  }

  /** Completes with the kubelet port once the node is registered and the server is serving. */
  public Future<Integer> ready() {
    return ready.future();
  }

  /**
   * The route registry of the kubelet server ({@code exec}, {@code attach}; {@code portForward}
   * plugs in the same way). Routes run on this verticle's context when registered from it (set in
   * {@link #start()}).
   */
  public KubeletServer server() {
    return server;
  }

  /**
   * The pods this kubelet runs (look a pod up by namespace/name, its current container ids).
   * Context-confined.
   */
  public PodManager pods() {
    return pods;
  }

  /** The CRI client (Exec, Attach, PortForward return the runtime's streaming URLs). */
  public RuntimeServiceClient runtime() {
    return cri;
  }

  public KubeletConfig kubeletConfig() {
    return config;
  }

  /**
   * The streaming sessions this kubelet proxies right now (empty in redirect mode, where it holds
   * none).
   */
  public HopRegistry hops() {
    return hops;
  }

  @Override
  public Future<?> start() {
    api = new ApiClient(vertx, config.apiserver(), config.security().apiserver());
    grpc = GrpcClient.client(vertx);
    TierMetrics metrics = new TierMetrics("kubelet");
    cri =
        new CriClient(
            grpc,
            SocketAddress.domainSocketAddress(config.runtimeSocket().toString()),
            metrics.registry());
    pods = new PodManager(vertx, config, api, cri);
    podSource = new PodSource(vertx, api, config.nodeName(), pods);
    nodeStatus = new NodeStatusManager(vertx, config, api, cri, nodeInfo);
    server =
        new KubeletServer(vertx)
            .route("healthz", new HealthzRoute())
            .route("pods", new PodsRoute(pods))
            .route("containerLogs", new ContainerLogsRoute(vertx, pods, cri, hops));
    if (config.security().serving() != null) {
      server.secured(config.security().serving(), config.security().authorizedUsers());
    }
    HopMetrics.bind(hops, metrics);
    // the kubelet plays the hop it dialled (kubelet-runtime); apiserver-kubelet is the apiserver's
    FaultTable faults = new FaultTable();
    HopFaults.bind(hops, faults, null, Hop.KUBELET_RUNTIME);
    FaultMetrics.bind(faults, Set.of(Hop.KUBELET_RUNTIME), metrics);
    server.route(TierMetrics.PATH.substring(1), (req, segments) -> metrics.handle(req));
    StreamingRuntime streaming = new StreamingRuntime(cri);
    StreamForwarder forwarder =
        config.redirectContainerStreaming()
            ? new RedirectForwarder()
            : new ProxyForwarder(vertx, hops, config.liveness().idleTimeout());
    if (config.webSocketTranslation()) {
      TunnelingHandler tunnels =
          new TunnelingHandler(
              vertx.createNetClient(),
              ErrorResponder.plainText(),
              UpgradeAwareProxy.RedirectPolicy.NEVER,
              hops);
      StreamTranslator translator =
          new StreamTranslator(
              vertx,
              vertx.createNetClient(),
              hops,
              UpgradeAwareProxy.RedirectPolicy.NEVER,
              config.liveness());
      forwarder = new TranslatingForwarder(translator, tunnels, forwarder);
    }
    forwarder = new SubjectForwarder(hops, forwarder);
    // No keep-alive toward the runtime: an idle pooled connection would be one more socket on
    // both, which no session owns (and which lsof would show).
    server.route(
        "debug",
        new SessionsRoute(
            hops,
            streaming,
            vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)),
            new DebugFaults("kubelet", Set.of(Hop.KUBELET_RUNTIME), faults)));
    for (RemoteCommandRoute.Verb verb : RemoteCommandRoute.Verb.values()) {
      server.route(verb.segment(), new RemoteCommandRoute(verb, pods, streaming, forwarder));
    }
    server.route("portForward", new PortForwardRoute(pods, streaming, forwarder));
    return server
        .listen(config.address(), config.port())
        .onSuccess(
            port -> {
              LOG.info(
                  "kubelet server listening on "
                      + config.address()
                      + ":"
                      + port
                      + ", advertised as "
                      + config.nodeIp());
              nodeStatus
                  .start(port)
                  .onSuccess(
                      v -> {
                        podSource.start();
                        ready.tryComplete(port);
                      });
            });
  }

  @Override
  public Future<?> stop() {
    if (podSource != null) {
      podSource.stop();
    }
    if (nodeStatus != null) {
      nodeStatus.stop();
    }
    if (pods != null) {
      pods.stop();
    }
    ready.tryFail("kubelet stopped");
    hops.active().forEach(HopSession::close);
    return Future.join(
        server == null ? Future.succeededFuture() : server.close(),
        api == null ? Future.succeededFuture() : api.close(),
        grpc == null ? Future.succeededFuture() : grpc.close());
  }
}
