package io.kubehop.kubelet;

import io.kubehop.api.util.GoDuration;
import io.kubehop.kubelet.node.NodeInfo;
import io.kubehop.streaming.trace.FrameTracer;
import io.kubehop.streaming.transport.Liveness;
import io.kubehop.streaming.transport.TlsFiles;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/kubelet}: parses the flags of design.md, starts the {@link Kubelet}, exits 0 on
 * SIGTERM.
 */
@Command(
    name = "kubelet",
    mixinStandardHelpOptions = true,
    description =
        "The kubehop kubelet: registers its Node and runs the pods bound to it through CRI.")
public final class KubeletMain implements Callable<Integer> {

  @Option(
      names = "--home",
      description = "State directory (default: $KUBEHOP_HOME, else ~/.kubehop).")
  Path home;

  @Option(
      names = "--node-name",
      defaultValue = "node-1",
      description = "Name of the Node (default: ${DEFAULT-VALUE}).")
  String nodeName;

  @Option(
      names = "--node-ip",
      defaultValue = "127.0.1.1",
      description =
          "Address reported as the Node's InternalIP and the pods' hostIP, which the apiserver"
              + " dials (default: ${DEFAULT-VALUE}).")
  String nodeIp;

  @Option(
      names = "--address",
      description =
          "Address the kubelet server binds to, e.g. 0.0.0.0 in a container (default: the"
              + " --node-ip).")
  String address;

  @Option(
      names = "--port",
      defaultValue = "10250",
      description = "Kubelet server port; 0 = random (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--apiserver",
      defaultValue = "http://127.0.0.1:6443",
      description = "Apiserver URL (default: ${DEFAULT-VALUE}).")
  String apiserver;

  @Option(
      names = "--runtime-endpoint",
      description = "CRI endpoint (default: unix://$HOME/nodes/<node>/runtime.sock).")
  String runtimeEndpoint;

  @Option(
      names = "--node-status-update-frequency",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Node heartbeat period (default: ${DEFAULT-VALUE}).")
  Duration nodeStatusUpdateFrequency;

  @Option(
      names = "--sync-frequency",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "How often every pod is resynced with the runtime (default: ${DEFAULT-VALUE}).")
  Duration syncFrequency;

  @Option(
      names = "--crash-loop-backoff",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description =
          "First restart delay of a crash-looping container; upstream uses 10s (default: ${DEFAULT-VALUE}).")
  Duration crashLoopBackOff;

  @Option(
      names = "--crash-loop-backoff-max",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Cap of the restart delay; upstream uses 5m (default: ${DEFAULT-VALUE}).")
  Duration crashLoopBackOffMax;

  @Option(
      names = "--trace-frames",
      arity = "0..1",
      fallbackValue = FrameTracer.ALL,
      paramLabel = "SESSION|all",
      description =
          "Log every frame of exec, attach and port-forward sessions (one session, or all) as JSON lines to"
              + " --trace-frames-file.")
  String traceFrames;

  @Option(
      names = "--trace-frames-file",
      paramLabel = "PATH",
      description = "Where --trace-frames writes (default: HOME/logs/kubelet-NODE-frames.jsonl).")
  Path traceFramesFile;

  @Option(
      names = "--redirect-container-streaming",
      arity = "0..1",
      defaultValue = "false",
      description =
          "Answer exec/attach/port-forward with a redirect to the runtime (default: ${DEFAULT-VALUE}).")
  boolean redirectContainerStreaming;

  @Option(
      names = "--websocket-translation",
      arity = "0..1",
      defaultValue = "false",
      description =
          "Translate WebSocket (v5.channel.k8s.io) exec/attach to SPDY toward the runtime here, and "
              + "advertise it in the node annotation kubelet.kubernetes.io/streaming-protocols, so that an apiserver "
              + "started with --websocket-translation=kubelet passes WebSockets through (default: ${DEFAULT-VALUE}).")
  boolean webSocketTranslation;

  @Option(
      names = "--tls-cert-file",
      description = "Serve HTTPS with this certificate (PEM); with --tls-private-key-file.")
  Path tlsCertFile;

  @Option(names = "--tls-private-key-file", description = "The key of --tls-cert-file (PEM).")
  Path tlsPrivateKeyFile;

  @Option(
      names = "--client-ca-file",
      description =
          "Ask callers for a client certificate signed by this CA; a caller without one gets 401, one "
              + "whose CN is not an --authorized-user 403.")
  Path clientCaFile;

  @Option(
      names = "--authorized-user",
      defaultValue = "kube-apiserver-kubelet-client",
      split = ",",
      description =
          "Client certificate CNs allowed to call this kubelet when --client-ca-file is set "
              + "(default: ${DEFAULT-VALUE}, the apiserver's kubelet client certificate).")
  List<String> authorizedUsers;

  @Option(
      names = "--apiserver-ca-file",
      description = "Verify an https --apiserver against this CA (PEM).")
  Path apiserverCaFile;

  @Option(
      names = "--apiserver-client-certificate",
      description = "Present this client certificate to the apiserver (PEM; the node's identity).")
  Path apiserverClientCertificate;

  @Option(
      names = "--apiserver-client-key",
      description = "The key of --apiserver-client-certificate (PEM).")
  Path apiserverClientKey;

  @Option(
      names = "--streaming-connection-idle-timeout",
      defaultValue = "4h",
      converter = DurationConverter.class,
      description =
          "Maximum time a streaming connection can be idle before it is closed (upstream's flag): a spliced hop"
              + " toward the runtime counts every byte, a translated session every WebSocket message, pings excluded;"
              + " 0 never (default: 4h).")
  Duration streamingConnectionIdleTimeout;

  @Option(
      names = "--streaming-connection-keepalive",
      defaultValue = "0",
      converter = DurationConverter.class,
      description =
          "Send a WebSocket ping to the caller and a SPDY PING to the runtime this often on the sessions this kubelet"
              + " translates (--websocket-translation), so that a middlebox that cuts idle connections sees traffic;"
              + " spliced hops carry the endpoints' pings instead; 0 off (default: 0).")
  Duration streamingConnectionKeepalive;

  /** Parses Go-style durations ({@code 10s}, {@code 500ms}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return GoDuration.parse(value);
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new KubeletMain()).execute(args));
  }

  KubeletConfig config() {
    Path h = home;
    if (h == null) {
      String env = System.getenv("KUBEHOP_HOME");
      h =
          env != null && !env.isEmpty()
              ? Path.of(env)
              : Path.of(System.getProperty("user.home"), ".kubehop");
    }
    h = h.toAbsolutePath();
    Path socket =
        runtimeEndpoint == null
            ? h.resolve("nodes").resolve(nodeName).resolve("runtime.sock")
            : Path.of(
                runtimeEndpoint.startsWith("unix://")
                    ? runtimeEndpoint.substring("unix://".length())
                    : runtimeEndpoint);
    return new KubeletConfig(
        h,
        nodeName,
        nodeIp,
        port,
        apiserver,
        socket,
        nodeStatusUpdateFrequency,
        syncFrequency,
        crashLoopBackOff,
        crashLoopBackOffMax,
        redirectContainerStreaming,
        webSocketTranslation,
        security(),
        address == null || address.isBlank() ? nodeIp : address,
        new Liveness(streamingConnectionIdleTimeout, streamingConnectionKeepalive));
  }

  KubeletSecurity security() {
    TlsFiles serving =
        tlsCertFile == null && tlsPrivateKeyFile == null
            ? null
            : new TlsFiles(tlsCertFile, tlsPrivateKeyFile, clientCaFile);
    TlsFiles toApiserver =
        apiserverCaFile == null && apiserverClientCertificate == null && apiserverClientKey == null
            ? null
            : new TlsFiles(apiserverClientCertificate, apiserverClientKey, apiserverCaFile);
    return new KubeletSecurity(serving, Set.copyOf(authorizedUsers), toApiserver);
  }

  @Override
  public Integer call() throws Exception {
    configureLogging(System.out);
    KubeletConfig config = config();
    Logger log = Logger.getLogger(KubeletMain.class.getName());
    log.info(
        "starting kubelet for node "
            + config.nodeName()
            + ", apiserver "
            + config.apiserver()
            + ", runtime "
            + config.runtimeSocket());
    Vertx vertx = Vertx.vertx();
    Kubelet kubelet = new Kubelet(config, NodeInfo.read());
    FrameTracer frames = FrameTracer.OFF;
    if (traceFrames != null) {
      Path file =
          traceFramesFile != null
              ? traceFramesFile
              : config
                  .home()
                  .resolve("logs")
                  .resolve("kubelet-" + config.nodeName() + "-frames.jsonl");
      frames = FrameTracer.to(file, "kubelet", traceFrames);
      kubelet.hops().traceFrames(frames, "apiserver");
    }

    CountDownLatch stop = new CountDownLatch(1);
    installSigterm(stop);
    try {
      vertx.deployVerticle(kubelet).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.severe("kubelet failed to start: " + e.getMessage());
      vertx.close().await(10, TimeUnit.SECONDS);
      return 1;
    }
    kubelet
        .ready()
        .onSuccess(
            port ->
                System.out.println(
                    "kubehop kubelet ready node="
                        + config.nodeName()
                        + " http://"
                        + config.nodeIp()
                        + ":"
                        + port
                        + (config.address().equals(config.nodeIp())
                            ? ""
                            : " (bound to " + config.address() + ")")));
    stop.await();
    log.info("SIGTERM: stopping");
    vertx.close().await(10, TimeUnit.SECONDS);
    frames.close(); // writes out the frames still queued
    return 0;
  }

  /** SIGTERM ends the kubelet with exit code 0 (a JVM shutdown hook alone would exit 143). */
  @SuppressWarnings("removal")
  private static void installSigterm(CountDownLatch stop) {
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> stop.countDown());
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> stop.countDown());
  }

  static void configureLogging(PrintStream out) {
    Logger root = Logger.getLogger("");
    for (var h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler handler =
        new ConsoleHandler() {
          {
            setOutputStream(out);
          }
        };
    handler.setFormatter(new OneLineFormatter());
    // loggers decide (INFO by default), as in the other tiers: -Djava.util.logging.config.file=…
    // can turn one up
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
  }
}
