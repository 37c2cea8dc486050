package io.kubehop.runtime;

import io.kubehop.cri.v1.RuntimeServiceGrpcService;
import io.kubehop.runtime.container.ContainerManager;
import io.kubehop.runtime.container.LeftoverProcesses;
import io.kubehop.runtime.cri.CriRuntimeService;
import io.kubehop.runtime.isolation.Isolation;
import io.kubehop.runtime.pod.PodIpAllocator;
import io.kubehop.runtime.pod.PodSandboxManager;
import io.kubehop.runtime.state.StateStore;
import io.kubehop.runtime.streaming.ProcessStreamingRuntime;
import io.kubehop.streaming.cri.StreamingServer;
import io.kubehop.streaming.metrics.TierMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.server.GrpcServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The runtime tier: the CRI gRPC server on the unix socket, the CRI streaming server (exec, attach,
 * port-forward), and the managers behind them. {@link #start()} serves; {@link #shutdown(long)}
 * stops every container and closes the listeners.
 */
public final class RuntimeServer {

  private static final Logger LOG = Logger.getLogger(RuntimeServer.class.getName());

  private final RuntimeConfig config;
  private final Vertx vertx;
  private final StateStore store;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "runtime-timers");
            thread.setDaemon(true);
            return thread;
          });
  private final PodSandboxManager sandboxes;
  private final ContainerManager containers;
  private final StreamingServer streaming;
  private HttpServer criServer;

  public RuntimeServer(Vertx vertx, RuntimeConfig config) {
    this(vertx, config, Clock.systemUTC(), StreamingServer.Config.defaults().tokenTtl());
  }

  /**
   * A server whose streaming tokens follow {@code streamingClock} and live for {@code tokenTtl}
   * (tests).
   */
  public RuntimeServer(Vertx vertx, RuntimeConfig config, Clock streamingClock, Duration tokenTtl) {
    this.vertx = vertx;
    this.config = config;
    this.store = new StateStore(config.stateDir());
    Clock clock = Clock.systemUTC();
    Isolation isolation;
    try {
      isolation = Isolation.start(config.isolation(), config.stateDir());
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    this.sandboxes =
        new PodSandboxManager(new PodIpAllocator(config.podCidr()), store, clock, isolation);
    this.containers = new ContainerManager(sandboxes, store, clock, timers);
    this.streaming =
        new StreamingServer(
                vertx,
                StreamingServer.Config.defaults()
                    .withAddress(config.streamingAddress())
                    .withLiveness(config.liveness())
                    .withTokenTtl(tokenTtl),
                new ProcessStreamingRuntime(vertx, containers, sandboxes),
                streamingClock)
            .withMetrics(new TierMetrics("runtime"));
  }

  /**
   * Prepares the state dir, then listens on the streaming address and the CRI socket (in this
   * order: an Exec answered over the socket must be able to name the streaming server).
   */
  public Future<Void> start() {
    return vertx
        .executeBlocking(
            () -> {
              int leftover =
                  LeftoverProcesses.kill(store.root().resolve(StateStore.Kind.CONTAINERS.dir()));
              if (leftover > 0) {
                LOG.info("killed the processes of " + leftover + " containers of a previous run");
              }
              int stale = store.discardStaleRecords();
              if (stale > 0) {
                LOG.info(
                    "discarded " + stale + " records of a previous run (their processes are gone)");
              }
              Files.createDirectories(config.socket().toAbsolutePath().getParent());
              // a socket file left by a runtime that did not shut down cleanly would make listen
              // fail
              Files.deleteIfExists(config.socket());
              return null;
            })
        .compose(v -> streaming.start())
        .compose(
            v -> {
              GrpcServer grpc = GrpcServer.server(vertx);
              grpc.addService(
                  RuntimeServiceGrpcService.of(
                      new CriRuntimeService(vertx, sandboxes, containers, streaming)));
              return vertx
                  .createHttpServer()
                  .requestHandler(grpc)
                  .listen(
                      SocketAddress.domainSocketAddress(
                          config.socket().toAbsolutePath().toString()));
            })
        .map(
            server -> {
              criServer = server;
              return null;
            });
  }

  /** The CRI endpoint, as a kubelet's --runtime-endpoint names it. */
  public String criEndpoint() {
    return "unix://" + config.socket().toAbsolutePath();
  }

  /** The streaming server's base URL. */
  public String streamingUrl() {
    return streaming.baseUrl();
  }

  /** The CRI streaming server. */
  public StreamingServer streaming() {
    return streaming;
  }

  /** The sandbox manager (for tests). */
  public PodSandboxManager sandboxes() {
    return sandboxes;
  }

  /** The container manager (for tests). */
  public ContainerManager containers() {
    return containers;
  }

  /**
   * Stops every container (SIGTERM, SIGKILL after {@code graceSeconds}), then closes the listeners
   * and removes the socket. Blocking, with bounded waits: for a shutdown hook, never an event loop.
   */
  public void shutdown(long graceSeconds) throws Exception {
    LOG.info("shutting down: stopping containers");
    try {
      containers.stopAll(graceSeconds).get(graceSeconds + 5, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      LOG.warning("some containers did not exit in time");
    }
    if (criServer != null) {
      criServer.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    streaming.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    timers.shutdownNow();
    store.close();
    try {
      Files.deleteIfExists(config.socket());
    } catch (IOException e) {
      LOG.warning("could not delete " + config.socket() + ": " + e);
    }
  }
}
