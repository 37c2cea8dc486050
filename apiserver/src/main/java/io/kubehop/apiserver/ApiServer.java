package io.kubehop.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.apiserver.auth.AccessOptions;
import io.kubehop.apiserver.auth.RequestGate;
import io.kubehop.apiserver.controller.EventRetention;
import io.kubehop.apiserver.controller.NodeLifecycleController;
import io.kubehop.apiserver.http.ApiRouter;
import io.kubehop.apiserver.http.ResourceReads;
import io.kubehop.apiserver.http.ResourceWrites;
import io.kubehop.apiserver.leaderelection.ApiServerDirectory;
import io.kubehop.apiserver.leaderelection.IdentityLease;
import io.kubehop.apiserver.leaderelection.LeaderElection;
import io.kubehop.apiserver.leaderelection.LeaderElector;
import io.kubehop.apiserver.registry.ConfigMapStrategy;
import io.kubehop.apiserver.registry.EventStrategy;
import io.kubehop.apiserver.registry.NamespaceStrategy;
import io.kubehop.apiserver.registry.NodeStrategy;
import io.kubehop.apiserver.registry.ObjectMetaDefaults;
import io.kubehop.apiserver.registry.PodStrategy;
import io.kubehop.apiserver.registry.ResourceStrategy;
import io.kubehop.apiserver.registry.ResourceType;
import io.kubehop.apiserver.registry.SecretStrategy;
import io.kubehop.apiserver.scheduler.Scheduler;
import io.kubehop.apiserver.storage.StorageOptions;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreException;
import io.kubehop.apiserver.storage.StoreKey;
import io.kubehop.apiserver.subresource.BindingSubresource;
import io.kubehop.apiserver.subresource.LogSubresource;
import io.kubehop.apiserver.subresource.NodeLocator;
import io.kubehop.apiserver.subresource.NodeProxySubresource;
import io.kubehop.apiserver.subresource.PortForwardSubresource;
import io.kubehop.apiserver.subresource.StreamSubresource;
import io.kubehop.apiserver.subresource.SubresourceRegistry;
import io.kubehop.apiserver.ui.SessionChainFeed;
import io.kubehop.apiserver.ui.WebView;
import io.kubehop.apiserver.watch.WatchHandler;
import io.kubehop.streaming.fault.DebugFaults;
import io.kubehop.streaming.fault.FaultMetrics;
import io.kubehop.streaming.fault.FaultTable;
import io.kubehop.streaming.fault.Hop;
import io.kubehop.streaming.inspect.DebugFrames;
import io.kubehop.streaming.inspect.DebugSessions;
import io.kubehop.streaming.inspect.SessionsView;
import io.kubehop.streaming.metrics.TierMetrics;
import io.kubehop.streaming.proxy.ErrorResponder;
import io.kubehop.streaming.proxy.HopFaults;
import io.kubehop.streaming.proxy.HopMetrics;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.HopViews;
import io.kubehop.streaming.proxy.StreamTranslator;
import io.kubehop.streaming.proxy.TunnelingHandler;
import io.kubehop.streaming.proxy.UpgradeAwareProxy;
import io.kubehop.streaming.proxy.UpgradeAwareProxy.RedirectPolicy;
import io.kubehop.streaming.proxy.WebSocketTranslation;
import io.kubehop.streaming.transport.Liveness;
import io.kubehop.streaming.transport.PostUpgrades;
import io.kubehop.streaming.transport.RequestHeadTimeout;
import io.kubehop.streaming.transport.TlsFiles;
import io.kubehop.streaming.websocket.ChannelHandshake;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The apiserver tier assembled: the persistent store, the core/v1 REST handlers behind one {@link
 * ApiRouter}, the scheduler and the node-lifecycle controller, on one Vert.x HTTP/1.1 server.
 */
public final class ApiServer {

  /** Namespaces that always exist, as in a fresh cluster. */
  static final List<String> SYSTEM_NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  public static final int DEFAULT_WATCH_HISTORY = 10_000;

  /**
   * Request line and headers, each: Go's http.DefaultMaxHeaderBytes, which the real apiserver
   * keeps.
   */
  static final int MAX_REQUEST_HEAD = 1 << 20;

  /**
   * Startup options (the flags of design.md), plus how many events watches may replay.
   *
   * @param streamingProxyRedirects follow a kubelet's 302 to the runtime's streaming server (the
   *     pre-1.24 {@code StreamingProxyRedirects} gate, for kubelets in {@code
   *     --redirect-container-streaming} mode)
   * @param webSocketTranslation where kubectl 1.30+'s WebSocket exec/attach becomes SPDY
   * @param access HTTPS, authentication, authorization and audit ({@link AccessOptions#NONE}: none)
   * @param liveness the idle timeout of its streaming hops (spliced and translated) and the
   *     keepalive of its translated ones ({@code --streaming-connection-idle-timeout}, {@code
   *     --streaming-connection-keepalive}; null: {@link Liveness#DEFAULT})
   * @param storage the file store or etcd ({@code --storage-backend}; null: {@link
   *     StorageOptions#FILE})
   * @param leaderElection who this apiserver is among those sharing an etcd, and the Lease times of
   *     the scheduler and node lifecycle controller (etcd only: with the file store this apiserver
   *     is alone and always leads; null: {@link LeaderElection#of} a fresh identity)
   * @param events how long core/v1 Events are kept and how many at most ({@code --event-ttl},
   *     {@code --max-events}; null: {@link EventRetention.Limits#DEFAULT})
   */
  public record Options(
      Path home,
      String bindAddress,
      int port,
      Duration nodeMonitorGracePeriod,
      Duration nodeMonitorPeriod,
      int watchHistory,
      boolean streamingProxyRedirects,
      WebSocketTranslation webSocketTranslation,
      AccessOptions access,
      Liveness liveness,
      Duration requestHeaderTimeout,
      StorageOptions storage,
      LeaderElection leaderElection,
      EventRetention.Limits events) {
    public Options {
      if (events == null) {
        events = EventRetention.Limits.DEFAULT;
      }
      if (leaderElection == null) {
        leaderElection = LeaderElection.of(LeaderElection.defaultIdentity());
      }
      if (storage == null) {
        storage = StorageOptions.FILE;
      }
      if (access == null) {
        access = AccessOptions.NONE;
      }
      if (liveness == null) {
        liveness = Liveness.DEFAULT;
      }
      if (requestHeaderTimeout == null) {
        requestHeaderTimeout = RequestHeadTimeout.UPSTREAM;
      }
    }

    public Options(
        Path home,
        String bindAddress,
        int port,
        Duration nodeMonitorGracePeriod,
        Duration nodeMonitorPeriod,
        int watchHistory,
        boolean streamingProxyRedirects,
        WebSocketTranslation webSocketTranslation,
        AccessOptions access) {
      this(
          home,
          bindAddress,
          port,
          nodeMonitorGracePeriod,
          nodeMonitorPeriod,
          watchHistory,
          streamingProxyRedirects,
          webSocketTranslation,
          access,
          Liveness.DEFAULT,
          RequestHeadTimeout.UPSTREAM,
          StorageOptions.FILE,
          null,
          null);
    }

    /** These options, with {@code liveness} for the streaming hops. */
    public Options withLiveness(Liveness liveness) {
      return new Options(
          home,
          bindAddress,
          port,
          nodeMonitorGracePeriod,
          nodeMonitorPeriod,
          watchHistory,
          streamingProxyRedirects,
          webSocketTranslation,
          access,
          liveness,
          requestHeaderTimeout,
          storage,
          leaderElection,
          events);
    }

    /** These options, with {@code timeout} for a connection's first request head (0: none). */
    public Options withRequestHeaderTimeout(Duration timeout) {
      return new Options(
          home,
          bindAddress,
          port,
          nodeMonitorGracePeriod,
          nodeMonitorPeriod,
          watchHistory,
          streamingProxyRedirects,
          webSocketTranslation,
          access,
          liveness,
          timeout,
          storage,
          leaderElection,
          events);
    }

    /** These options, with {@code leaderElection} (used with etcd only). */
    public Options withLeaderElection(LeaderElection leaderElection) {
      return new Options(
          home,
          bindAddress,
          port,
          nodeMonitorGracePeriod,
          nodeMonitorPeriod,
          watchHistory,
          streamingProxyRedirects,
          webSocketTranslation,
          access,
          liveness,
          requestHeaderTimeout,
          storage,
          leaderElection,
          events);
    }

    /** These options, keeping core/v1 Events within {@code events}. */
    public Options withEventLimits(EventRetention.Limits events) {
      return new Options(
          home,
          bindAddress,
          port,
          nodeMonitorGracePeriod,
          nodeMonitorPeriod,
          watchHistory,
          streamingProxyRedirects,
          webSocketTranslation,
          access,
          liveness,
          requestHeaderTimeout,
          storage,
          leaderElection,
          events);
    }

    /** These options, storing in {@code storage}. */
    public Options withStorage(StorageOptions storage) {
      return new Options(
          home,
          bindAddress,
          port,
          nodeMonitorGracePeriod,
          nodeMonitorPeriod,
          watchHistory,
          streamingProxyRedirects,
          webSocketTranslation,
          access,
          liveness,
          requestHeaderTimeout,
          storage,
          leaderElection,
          events);
    }

    public Options(
        Path home,
        String bindAddress,
        int port,
        Duration nodeMonitorGracePeriod,
        Duration nodeMonitorPeriod,
        int watchHistory,
        boolean streamingProxyRedirects,
        WebSocketTranslation webSocketTranslation) {
      this(
          home,
          bindAddress,
          port,
          nodeMonitorGracePeriod,
          nodeMonitorPeriod,
          watchHistory,
          streamingProxyRedirects,
          webSocketTranslation,
          AccessOptions.NONE);
    }

    /** These options, serving with {@code access}. */
    public Options withAccess(AccessOptions access) {
      return new Options(
          home,
          bindAddress,
          port,
          nodeMonitorGracePeriod,
          nodeMonitorPeriod,
          watchHistory,
          streamingProxyRedirects,
          webSocketTranslation,
          access,
          liveness,
          requestHeaderTimeout,
          storage,
          leaderElection,
          events);
    }

    public Options(
        Path home,
        String bindAddress,
        int port,
        Duration nodeMonitorGracePeriod,
        Duration nodeMonitorPeriod) {
      this(
          home,
          bindAddress,
          port,
          nodeMonitorGracePeriod,
          nodeMonitorPeriod,
          DEFAULT_WATCH_HISTORY);
    }

    public Options(
        Path home,
        String bindAddress,
        int port,
        Duration nodeMonitorGracePeriod,
        Duration nodeMonitorPeriod,
        int watchHistory) {
      this(
          home,
          bindAddress,
          port,
          nodeMonitorGracePeriod,
          nodeMonitorPeriod,
          watchHistory,
          false,
          WebSocketTranslation.APISERVER);
    }
  }

  private final Vertx vertx;
  private final Store store;
  private final HttpServer server;
  private final HttpClientAgent kubeletClient;
  private final Scheduler scheduler;
  private final NodeLifecycleController nodeLifecycle;
  private final EventRetention eventRetention;
  private final List<LeaderElector> electors;
  private final IdentityLease identity;
  private final SubresourceRegistry subresources;
  private final HopRegistry hops;
  private final RequestGate gate;

  private ApiServer(
      Vertx vertx,
      Store store,
      HttpServer server,
      HttpClientAgent kubeletClient,
      Scheduler scheduler,
      NodeLifecycleController nodeLifecycle,
      EventRetention eventRetention,
      List<LeaderElector> electors,
      IdentityLease identity,
      SubresourceRegistry subresources,
      HopRegistry hops,
      RequestGate gate) {
    this.identity = identity;
    this.hops = hops;
    this.gate = gate;
    this.vertx = vertx;
    this.store = store;
    this.server = server;
    this.kubeletClient = kubeletClient;
    this.scheduler = scheduler;
    this.nodeLifecycle = nodeLifecycle;
    this.eventRetention = eventRetention;
    this.electors = List.copyOf(electors);
    this.subresources = subresources;
  }

  /**
   * Opens the store (the file store under {@code home/apiserver/store}, or etcd), seeds the system
   * namespaces, and listens.
   */
  public static Future<ApiServer> start(Vertx vertx, Options options) {
    return start(vertx, options, null);
  }

  /**
   * As {@link #start(Vertx, Options)}, dialling kubelets over HTTPS with {@code kubeletTls} when
   * not null: its certificate is the apiserver's identity toward them ({@code
   * --kubelet-client-certificate}, {@code --kubelet-client-key}) and its CA verifies theirs ({@code
   * --kubelet-certificate-authority}, which upstream leaves unset by default: it does not verify
   * kubelets). A redirect to a runtime's streaming server is still dialled in plain HTTP.
   */
  public static Future<ApiServer> start(Vertx vertx, Options options, TlsFiles kubeletTls) {
    Clock clock = Clock.systemUTC();
    Path dir = options.home().resolve("apiserver").resolve("store");
    // the token file and the audit log are read and opened before anything listens
    return vertx
        .executeBlocking(() -> options.access().gate(clock))
        .compose(
            gate ->
                options
                    .storage()
                    .open(vertx, dir, options.watchHistory())
                    .compose(store -> start(vertx, options, kubeletTls, clock, store, gate))
                    .onFailure(t -> gate.close()));
  }

  private static Future<ApiServer> start(
      Vertx vertx,
      Options options,
      TlsFiles kubeletTls,
      Clock clock,
      Store opened,
      RequestGate gate) {
    return seedNamespaces(opened)
        .map(v -> opened)
        .compose(
            store -> {
              HopRegistry hops = new HopRegistry("kubelet");
              gate.watch(hops);
              // every apiserver sweeps (not only a leader): deletes are conditional, so two
              // apiservers on one etcd sweeping at once only repeat each other's work
              EventRetention eventRetention =
                  new EventRetention(vertx, store, clock, options.events());
              Map<ResourceType, ResourceStrategy> strategies =
                  Map.of(
                      ResourceType.PODS,
                      new PodStrategy(),
                      ResourceType.NODES,
                      new NodeStrategy(),
                      ResourceType.NAMESPACES,
                      new NamespaceStrategy(),
                      ResourceType.CONFIGMAPS,
                      new ConfigMapStrategy(),
                      ResourceType.SECRETS,
                      new SecretStrategy(),
                      ResourceType.EVENTS,
                      new EventStrategy().onCreate(eventRetention::created));
              HttpClientOptions httpOptions = new HttpClientOptions().setConnectTimeout(10_000);
              NetClientOptions netOptions = new NetClientOptions();
              if (kubeletTls != null) {
                kubeletTls.client(httpOptions);
                kubeletTls.client(netOptions);
              }
              HttpClientAgent client = vertx.createHttpClient(httpOptions);
              NodeLocator nodes = new NodeLocator(store, kubeletTls != null);
              // KEP-1558's ValidateProxyRedirects: a redirect may only lead to the kubelet's own
              // host.
              UpgradeAwareProxy streamProxy =
                  new UpgradeAwareProxy(
                      vertx.createNetClient(netOptions),
                      ErrorResponder.status(),
                      options.streamingProxyRedirects()
                          ? RedirectPolicy.sameHost()
                          : RedirectPolicy.NEVER,
                      hops,
                      options.liveness().idleTimeout());
              StreamTranslator translator =
                  new StreamTranslator(
                      vertx,
                      vertx.createNetClient(netOptions),
                      hops,
                      options.streamingProxyRedirects()
                          ? RedirectPolicy.sameHost()
                          : RedirectPolicy.NEVER,
                      options.liveness());
              WebSocketTranslation translation = options.webSocketTranslation();
              SubresourceRegistry subresources =
                  new SubresourceRegistry()
                      .register("pods", "log", new LogSubresource(store, nodes, client, hops))
                      .register(
                          "pods",
                          "exec",
                          new StreamSubresource(
                              StreamSubresource.Verb.EXEC,
                              store,
                              nodes,
                              streamProxy,
                              translator,
                              translation,
                              hops))
                      .register(
                          "pods",
                          "attach",
                          new StreamSubresource(
                              StreamSubresource.Verb.ATTACH,
                              store,
                              nodes,
                              streamProxy,
                              translator,
                              translation,
                              hops))
                      .register(
                          "pods",
                          "portforward",
                          new PortForwardSubresource(
                              store,
                              nodes,
                              streamProxy,
                              new TunnelingHandler(
                                  vertx.createNetClient(netOptions),
                                  ErrorResponder.status(),
                                  options.streamingProxyRedirects()
                                      ? RedirectPolicy.sameHost()
                                      : RedirectPolicy.NEVER,
                                  hops),
                              translation,
                              hops))
                      .register("pods", "binding", new BindingSubresource(store))
                      .register(
                          "nodes",
                          NodeProxySubresource.NAME,
                          new NodeProxySubresource(nodes, client));
              ApiRouter router =
                  new ApiRouter(
                      strategies,
                      subresources,
                      new ResourceReads(store, clock),
                      new ResourceWrites(store, clock),
                      new WatchHandler(vertx, store, clock));
              TierMetrics metrics = new TierMetrics("apiserver");
              HopMetrics.bind(hops, metrics);
              // the apiserver plays the two hops it holds sockets of (kubehop fault)
              FaultTable faults = new FaultTable();
              Set<Hop> faultHops = Set.of(Hop.CLIENT_APISERVER, Hop.APISERVER_KUBELET);
              HopFaults.bind(hops, faults, Hop.CLIENT_APISERVER, Hop.APISERVER_KUBELET);
              FaultMetrics.bind(faults, faultHops, metrics);
              String id = options.leaderElection().identity();
              boolean etcd = options.storage().backend() == StorageOptions.Backend.ETCD;
              AtomicReference<String> selfUrl = new AtomicReference<>();
              router
                  .withGate(gate)
                  .withMetrics(metrics)
                  .withDebugSessions(new DebugSessions(() -> namedView(hops, id)))
                  .withApiServerDirectory(new ApiServerDirectory(store, id, selfUrl::get, etcd))
                  .withDebugFrames(new DebugFrames(hops::frameTracer))
                  .withDebugFaults(new DebugFaults("apiserver", faultHops, faults))
                  .withWebView(
                      new WebView(
                          new SessionChainFeed(
                              vertx, store, nodes, client, () -> namedView(hops, id)),
                          hops::recorder));
              // kubectl's SPDY exec is a POST upgrade, which Vert.x tunnels only with PostUpgrades
              // (h2c off).
              // and WebSocket frames up to 16 MiB, as for every tier that serves channel.k8s.io
              HttpServerOptions serverOptions =
                  TunnelingHandler.configure(
                          ChannelHandshake.configure(
                              PostUpgrades.configure(new HttpServerOptions())))
                      .setHost(options.bindAddress())
                      .setPort(options.port())
                      // an exec's command travels in the query: kubectl sends what the shell gave
                      // it, and the kubelet
                      // accepts 1 MiB of headers (MaxHeaderBytes), so the apiserver in front must
                      // not stop at 8 KiB
                      .setMaxInitialLineLength(MAX_REQUEST_HEAD)
                      .setMaxHeaderSize(MAX_REQUEST_HEAD)
                      .setIdleTimeout(0);
              // HTTPS when --tls-cert-file is given; PostUpgrades and WebSocket upgrades work the
              // same over it, since ALPN stays off and every connection is HTTP/1.1
              options.access().configure(serverOptions);
              Scheduler scheduler = new Scheduler(vertx, store, clock, 2_000);
              NodeLifecycleController lifecycle =
                  new NodeLifecycleController(
                      vertx,
                      store,
                      clock,
                      options.nodeMonitorGracePeriod(),
                      options.nodeMonitorPeriod());
              // several apiservers may share an etcd: each controller runs in one of them at a
              // time, the holder of its Lease (the file store has one apiserver, which leads)
              List<LeaderElector> electors = new ArrayList<>();
              if (etcd) {
                electors.add(
                    new LeaderElector(
                        vertx,
                        store,
                        LeaderElection.SCHEDULER,
                        options.leaderElection(),
                        scheduler::start,
                        scheduler::stop));
                electors.add(
                    new LeaderElector(
                        vertx,
                        store,
                        LeaderElection.CONTROLLER_MANAGER,
                        options.leaderElection(),
                        lifecycle::start,
                        lifecycle::stop));
              }
              Duration headTimeout = options.requestHeaderTimeout();
              return vertx
                  .createHttpServer(serverOptions)
                  .connectionHandler(
                      connection -> {
                        PostUpgrades.install(connection);
                        // a slowloris client gets the connection closed, as by Go's
                        // ReadHeaderTimeout
                        RequestHeadTimeout.install(connection, headTimeout);
                      })
                  .requestHandler(router)
                  .listen()
                  .map(
                      server -> {
                        selfUrl.set(selfUrl(options, server.actualPort()));
                        IdentityLease identity =
                            etcd ? new IdentityLease(vertx, store, id, selfUrl.get(), clock) : null;
                        if (identity != null) {
                          identity.start();
                        }
                        eventRetention.start();
                        if (electors.isEmpty()) {
                          scheduler.start(); // alone on its store: always the leader
                          lifecycle.start();
                        } else {
                          electors.forEach(LeaderElector::start);
                        }
                        return new ApiServer(
                            vertx,
                            store,
                            server,
                            client,
                            scheduler,
                            lifecycle,
                            eventRetention,
                            electors,
                            identity,
                            subresources,
                            hops,
                            gate);
                      });
            });
  }

  /** The apiserver's sessions, each naming this apiserver as the one that holds it. */
  private static SessionsView namedView(HopRegistry hops, String id) {
    SessionsView view = HopViews.view(hops, "apiserver", "client");
    return new SessionsView(
        view.tier(), view.pid(), view.sessions().stream().map(s -> s.withApiserver(id)).toList());
  }

  /**
   * The URL this apiserver is reached at directly, not through a balancer: its bind address (the
   * loopback one for a wildcard) and the port it bound.
   */
  static String selfUrl(Options options, int port) {
    String host = options.bindAddress();
    if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return (options.access().tls() ? "https://" : "http://") + host + ":" + port;
  }

  private static Future<Void> seedNamespaces(Store store) {
    NamespaceStrategy strategy = new NamespaceStrategy();
    Future<Void> chain = Future.succeededFuture();
    for (String name : SYSTEM_NAMESPACES) {
      chain =
          chain.compose(
              v ->
                  store
                      .get(new StoreKey("namespaces", "", name))
                      .<Void>mapEmpty()
                      .recover(
                          t -> {
                            ObjectNode ns = ApiJson.mapper().createObjectNode();
                            ns.put("kind", "Namespace").put("apiVersion", "v1");
                            ns.putObject("metadata").put("name", name);
                            ObjectMetaDefaults.fill(ns);
                            strategy.prepareForCreate(ns);
                            // another apiserver on the same etcd may have created it meanwhile
                            return store
                                .create(new StoreKey("namespaces", "", name), ns)
                                .<Void>mapEmpty()
                                .recover(
                                    e ->
                                        e instanceof StoreException.AlreadyExists
                                            ? Future.succeededFuture()
                                            : Future.failedFuture(e));
                          }));
    }
    return chain;
  }

  /**
   * The streaming sessions (exec, attach, portforward) this apiserver holds, and the last closed
   * ones.
   */
  public HopRegistry hops() {
    return hops;
  }

  /** The port actually bound (useful with {@code --port 0}). */
  public int port() {
    return server.actualPort();
  }

  public Store store() {
    return store;
  }

  /** Where later issues register {@code exec}, {@code attach} and {@code portforward}. */
  public SubresourceRegistry subresources() {
    return subresources;
  }

  /** The scheduler's and node lifecycle controller's candidacies; empty with the file store. */
  public List<LeaderElector> electors() {
    return electors;
  }

  public Future<Void> close() {
    // a leader releases its Leases, so that a standby takes over at once
    List<Future<Void>> stops = new ArrayList<>();
    electors.forEach(e -> stops.add(e.stop()));
    if (identity != null) {
      stops.add(identity.stop()); // a cleanly stopped apiserver is no longer listed
    }
    Future<Void> released = Future.join(stops).mapEmpty();
    scheduler.stop();
    nodeLifecycle.stop();
    eventRetention.stop();
    return released
        .otherwiseEmpty()
        .compose(v -> server.close())
        .compose(v -> kubeletClient.close())
        .compose(v -> store.close())
        .compose(
            v ->
                vertx.executeBlocking(
                    () -> {
                      gate.close();
                      return null;
                    }));
  }

  /** The sweeper that bounds the stored events (tests run a sweep without waiting a period). */
  public EventRetention eventRetention() {
    return eventRetention;
  }

  public Vertx vertx() {
    return vertx;
  }
}
