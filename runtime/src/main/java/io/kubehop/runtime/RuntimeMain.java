package io.kubehop.runtime;

import io.kubehop.api.util.GoDuration;
import io.kubehop.runtime.isolation.Isolation;
import io.kubehop.streaming.transport.Liveness;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of the runtime tier ({@code bin/runtime}): serves the CRI on a unix socket and runs
 * containers as child processes. Prints {@code kubehop runtime ready unix://<socket>
 * streaming=http://<address>:<port>} once it serves; on SIGTERM it stops its containers and exits
 * 0.
 */
@Command(
    name = "runtime",
    mixinStandardHelpOptions = true,
    version = "kubehop runtime 0.1.0",
    description =
        "The kubehop container runtime: a CRI gRPC server; containers are real OS processes.")
public final class RuntimeMain implements Callable<Integer> {

  private static final Logger LOG = Logger.getLogger(RuntimeMain.class.getName());

  /** How long containers get between SIGTERM and SIGKILL when the runtime shuts down. */
  private static final long SHUTDOWN_GRACE_SECONDS = 2;

  @Option(names = "--home", description = "kubehop home (default: $KUBEHOP_HOME, else ~/.kubehop)")
  Path home;

  @Option(
      names = "--node-name",
      defaultValue = "node-1",
      description = "node name (default: ${DEFAULT-VALUE})")
  String nodeName;

  @Option(
      names = "--socket",
      description = "CRI unix socket (default: $HOME/nodes/<node>/runtime.sock)")
  Path socket;

  @Option(
      names = "--pod-cidr",
      defaultValue = "127.20.1.0/24",
      description =
          "pod IP range; each sandbox gets the next free address (default: ${DEFAULT-VALUE})")
  String podCidr;

  @Option(
      names = "--streaming-address",
      defaultValue = "127.0.0.1",
      description = "address of the CRI streaming server, random port (default: ${DEFAULT-VALUE})")
  String streamingAddress;

  @Option(
      names = "--streaming-connection-idle-timeout",
      defaultValue = "4h",
      converter = DurationConverter.class,
      description =
          "How long an exec, attach or port-forward session may stay silent before the streaming server closes it"
              + " (GOAWAY, or a WebSocket close): on SPDY every frame counts, pings included, as spdystream; on"
              + " WebSocket every message, pings excluded; 0 never (default: 4h, containerd's stream_idle_timeout).")
  Duration streamingConnectionIdleTimeout;

  @Option(
      names = "--streaming-connection-keepalive",
      defaultValue = "0",
      converter = DurationConverter.class,
      description =
          "Send a SPDY PING (SPDY sessions) or a WebSocket ping (WebSocket exec/attach) this often, so that every hop"
              + " up to the client, spliced ones included, sees traffic; 0 off (default: 0).")
  Duration streamingConnectionKeepalive;

  @Option(
      names = "--isolation",
      defaultValue = "auto",
      converter = IsolationConverter.class,
      description =
          "How containers are isolated: namespaces (a UTS, IPC and PID namespace per pod or container, a mount"
              + " namespace with the image's root per container; needs root, util-linux and overlayfs), none (host"
              + " processes), or auto: namespaces where this host allows them (default: ${DEFAULT-VALUE}).")
  Isolation.Mode isolation;

  /** {@code auto}, {@code namespaces}, {@code none}. */
  static final class IsolationConverter implements CommandLine.ITypeConverter<Isolation.Mode> {
    @Override
    public Isolation.Mode convert(String value) {
      return Isolation.Mode.valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** Go-style durations ({@code 4h}, {@code 500ms}, {@code 0}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return GoDuration.parse(value);
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RuntimeMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    OneLineFormatter.install("runtime");
    // Netty would pick SLF4J (pty4j brings slf4j-api without a provider: NOP and a warning on
    // stderr)
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    // SIGTERM/SIGINT are taken over first, so that one arriving while we start is not lost: the
    // shutdown
    // then runs as soon as there is something to shut down
    CompletableFuture<Void> terminationRequested = new CompletableFuture<>();
    Signals.onTerminate(() -> terminationRequested.complete(null));
    Path kubehopHome = home != null ? home : defaultHome();
    RuntimeConfig config =
        new RuntimeConfig(
            kubehopHome.toAbsolutePath(),
            nodeName,
            socket != null
                ? socket.toAbsolutePath()
                : RuntimeConfig.defaultSocket(kubehopHome.toAbsolutePath(), nodeName),
            podCidr,
            streamingAddress,
            new Liveness(streamingConnectionIdleTimeout, streamingConnectionKeepalive),
            isolation);
    Vertx vertx = Vertx.vertx();
    RuntimeServer server;
    try {
      server = new RuntimeServer(vertx, config);
      server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (IllegalArgumentException e) {
      System.err.println("runtime: " + e.getMessage());
      vertx.close();
      return 2;
    } catch (ExecutionException e) {
      System.err.println("runtime: cannot serve on " + config.socket() + ": " + e.getCause());
      vertx.close();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable shutdown =
        () -> {
          if (!stopping.compareAndSet(false, true)) {
            return;
          }
          try {
            server.shutdown(SHUTDOWN_GRACE_SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            LOG.info("stopped");
          } catch (Exception e) {
            LOG.warning("shutdown incomplete: " + e);
          } finally {
            stopped.countDown();
          }
        };
    // SIGTERM/SIGINT: shut down on our own thread, then return 0 from main. Doing the work here
    // rather than
    // in a shutdown hook keeps logging alive (JUL's own hook closes the handlers at exit) and gives
    // status 0.
    terminationRequested.thenRun(() -> new Thread(shutdown, "runtime-shutdown").start());
    // any other exit (System.exit elsewhere, an uncaught error) still must not leave containers
    // behind
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "runtime-shutdown-hook"));
    LOG.info(
        "serving CRI for node "
            + nodeName
            + ", pod CIDR "
            + podCidr
            + ", state in "
            + config.stateDir());
    if (!terminationRequested.isDone()) {
      System.out.println(
          "kubehop runtime ready " + server.criEndpoint() + " streaming=" + server.streamingUrl());
      System.out.flush();
    }
    stopped.await();
    return 0;
  }

  private static Path defaultHome() {
    String env = System.getenv("KUBEHOP_HOME");
    return env != null && !env.isEmpty()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".kubehop");
  }
}
