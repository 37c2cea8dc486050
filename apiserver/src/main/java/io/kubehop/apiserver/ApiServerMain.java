package io.kubehop.apiserver;

import io.kubehop.api.util.GoDuration;
import io.kubehop.apiserver.auth.AccessOptions;
import io.kubehop.apiserver.controller.EventRetention;
import io.kubehop.apiserver.leaderelection.LeaderElection;
import io.kubehop.apiserver.storage.StorageOptions;
import io.kubehop.streaming.proxy.WebSocketTranslation;
import io.kubehop.streaming.record.SessionRecorder;
import io.kubehop.streaming.trace.FrameTracer;
import io.kubehop.streaming.transport.Liveness;
import io.kubehop.streaming.transport.TlsFiles;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/apiserver}: flags per docs/design.md; prints {@code kubehop apiserver ready
 * http://host:port}.
 */
@Command(
    name = "apiserver",
    mixinStandardHelpOptions = true,
    description =
        "kubehop's apiserver: core/v1 over HTTP/1.1 with a persistent store (embedded, or etcd) and a scheduler.")
public final class ApiServerMain implements Callable<Integer> {

  @Option(
      names = "--home",
      description = "State directory (default: $KUBEHOP_HOME, else ~/.kubehop).")
  Path home;

  @Option(
      names = "--bind-address",
      defaultValue = "127.0.0.1",
      description = "Address to listen on.")
  String bindAddress;

  @Option(
      names = "--port",
      defaultValue = "6443",
      description = "Port to listen on; 0 picks a free one.")
  int port;

  @Option(
      names = "--node-monitor-grace-period",
      defaultValue = "40s",
      converter = DurationConverter.class,
      description = "A node whose heartbeat is older goes Ready=Unknown.")
  Duration nodeMonitorGracePeriod;

  @Option(
      names = "--streaming-proxy-redirects",
      description =
          "Follow a kubelet's redirect to the runtime's "
              + "streaming server (for kubelets started with --redirect-container-streaming), as the pre-1.24 "
              + "StreamingProxyRedirects gate did; only redirects to the kubelet's own host are followed.")
  boolean streamingProxyRedirects;

  @Option(
      names = "--websocket-translation",
      defaultValue = "apiserver",
      converter = TranslationConverter.class,
      description =
          "Where kubectl 1.30+'s WebSocket (v5.channel.k8s.io) exec/attach becomes SPDY: apiserver (1.30+), "
              + "kubelet (1.36: passed through to kubelets that advertise it), or off (refused: kubectl falls back to "
              + "SPDY).")
  WebSocketTranslation webSocketTranslation;

  @Option(
      names = "--streaming-connection-idle-timeout",
      defaultValue = "4h",
      converter = DurationConverter.class,
      description =
          "How long an exec, attach or port-forward hop may stay silent before this tier closes it: a spliced hop"
              + " counts every byte, a translated one every WebSocket message from or to the client, pings"
              + " excluded; 0 never (default: 4h, the translator's upstream timeout).")
  Duration streamingConnectionIdleTimeout;

  @Option(
      names = "--streaming-connection-keepalive",
      defaultValue = "0",
      converter = DurationConverter.class,
      description =
          "Send a WebSocket ping to the client and a SPDY PING to the kubelet this often on translated sessions, so"
              + " that a middlebox that cuts idle connections sees traffic; spliced hops carry the endpoints' pings"
              + " instead; 0 off (default: 0).")
  Duration streamingConnectionKeepalive;

  @Option(
      names = "--request-header-timeout",
      defaultValue = "32s",
      converter = DurationConverter.class,
      description =
          "Close a connection whose first request head (request line and headers) is not complete "
              + "within this time, without an answer, as upstream's ReadHeaderTimeout (32s) does; 0 "
              + "disables it.")
  Duration requestHeaderTimeout;

  @Option(
      names = "--event-ttl",
      defaultValue = "1h",
      converter = DurationConverter.class,
      description =
          "How long after its last write a core/v1 Event is deleted, as upstream's --event-ttl"
              + " (default: 1h).")
  Duration eventTtl;

  @Option(
      names = "--max-events",
      defaultValue = "10000",
      description =
          "The most core/v1 Events kept in all namespaces; past it the oldest are deleted"
              + " (default: 10000).")
  int maxEvents;

  @Option(
      names = "--node-monitor-period",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How often node heartbeats are checked.")
  Duration nodeMonitorPeriod;

  @Option(
      names = "--kubelet-client-certificate",
      description =
          "Dial kubelets over HTTPS presenting this client certificate (PEM); with --kubelet-client-key.")
  Path kubeletClientCertificate;

  @Option(names = "--kubelet-client-key", description = "The key of --kubelet-client-certificate.")
  Path kubeletClientKey;

  @Option(
      names = "--kubelet-certificate-authority",
      description =
          "Verify kubelets' serving certificates against this CA (PEM). Upstream leaves this unset by "
              + "default and does not verify kubelets; kubehop's `up` sets it.")
  Path kubeletCertificateAuthority;

  @Option(
      names = "--tls-cert-file",
      description =
          "PEM certificate (chain) to serve HTTPS with; with --tls-private-key-file the apiserver "
              + "speaks HTTPS only.")
  Path tlsCertFile;

  @Option(
      names = "--tls-private-key-file",
      description = "PEM private key of --tls-cert-file (EC or RSA, PKCS#8 or PKCS#1).")
  Path tlsPrivateKeyFile;

  @Option(
      names = "--client-ca-file",
      description =
          "Request client certificates and accept those this CA signed: user = subject CN, groups "
              + "= subject O values. Turns authentication on.")
  Path clientCaFile;

  @Option(
      names = "--token-auth-file",
      description =
          "Static bearer tokens, CSV: token,user,uid[,\"group1,group2\"]. Turns authentication on.")
  Path tokenAuthFile;

  @Option(
      names = "--authorization-mode",
      defaultValue = "AlwaysAllow",
      description =
          "AlwaysAllow (anyone may do anything), or RBAC (kubehop's built-in roles for the groups "
              + "system:masters, kubehop:viewers and system:nodes).")
  String authorizationMode;

  @Option(
      names = "--audit-log-path",
      description =
          "Append a JSON line for every exec, attach and port-forward and every refused request "
              + "(default: no audit).")
  Path auditLogPath;

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
      description = "Where --trace-frames writes (default: HOME/logs/apiserver-frames.jsonl).")
  Path traceFramesFile;

  @Option(
      names = "--record-sessions",
      paramLabel = "DIR",
      description =
          "Record every exec and attach session as an asciicast v2 file DIR/SESSION.cast (owner-only:"
              + " it holds keystrokes); play it with kubehop replay or asciinema play.")
  Path recordSessions;

  @Option(
      names = "--storage-backend",
      defaultValue = "file",
      paramLabel = "file|etcd",
      converter = BackendConverter.class,
      description =
          "Where objects live: file (the embedded store under HOME/apiserver/store, nothing to install) or etcd"
              + " (--etcd-servers; several apiservers may share one etcd) (default: file).")
  StorageOptions.Backend storageBackend;

  @Option(
      names = "--etcd-servers",
      defaultValue = StorageOptions.DEFAULT_ETCD_SERVER,
      paramLabel = "URL[,URL]",
      description =
          "etcd members to talk to with --storage-backend etcd, as http://host:port; calls move to the next"
              + " one when a member cannot be reached (default: "
              + StorageOptions.DEFAULT_ETCD_SERVER
              + ").")
  String etcdServers;

  @Option(
      names = "--etcd-prefix",
      defaultValue = StorageOptions.DEFAULT_ETCD_PREFIX,
      description =
          "The etcd key prefix every object lives under, as PREFIX/pods/NAMESPACE/NAME (default: "
              + StorageOptions.DEFAULT_ETCD_PREFIX
              + ").")
  String etcdPrefix;

  @Option(
      names = "--apiserver-id",
      paramLabel = "ID",
      description =
          "This apiserver's identity among those sharing an etcd: the holderIdentity it writes into the"
              + " kube-system/kube-scheduler and kube-controller-manager Leases when it leads (default:"
              + " HOSTNAME_UUID, fresh on each start).")
  String apiserverId;

  /** Go-style durations for picocli. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return GoDuration.parse(value);
    }
  }

  static final class BackendConverter
      implements CommandLine.ITypeConverter<StorageOptions.Backend> {
    @Override
    public StorageOptions.Backend convert(String value) {
      return StorageOptions.Backend.parse(value);
    }
  }

  static final class TranslationConverter
      implements CommandLine.ITypeConverter<WebSocketTranslation> {
    @Override
    public WebSocketTranslation convert(String value) {
      return WebSocketTranslation.parse(value);
    }
  }

  public static void main(String[] args) {
    int code = new CommandLine(new ApiServerMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    configureLogging();
    Path dir = home != null ? home : defaultHome();
    Vertx vertx = Vertx.vertx();
    ApiServer server;
    try {
      server =
          ApiServer.start(
                  vertx,
                  new ApiServer.Options(
                          dir,
                          bindAddress,
                          port,
                          nodeMonitorGracePeriod,
                          nodeMonitorPeriod,
                          ApiServer.DEFAULT_WATCH_HISTORY,
                          streamingProxyRedirects,
                          webSocketTranslation,
                          new AccessOptions(
                              tlsCertFile,
                              tlsPrivateKeyFile,
                              clientCaFile,
                              tokenAuthFile,
                              authorizationMode,
                              auditLogPath))
                      .withLiveness(
                          new Liveness(
                              streamingConnectionIdleTimeout, streamingConnectionKeepalive))
                      .withRequestHeaderTimeout(requestHeaderTimeout)
                      .withEventLimits(new EventRetention.Limits(eventTtl, maxEvents))
                      .withStorage(storage())
                      .withLeaderElection(
                          LeaderElection.of(
                              apiserverId != null
                                  ? apiserverId
                                  : LeaderElection.defaultIdentity())),
                  kubeletClientTls())
              .await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Logger.getLogger("apiserver").log(Level.SEVERE, "cannot start: " + e, e);
      vertx.close();
      return 1;
    }
    FrameTracer frames = FrameTracer.OFF;
    if (traceFrames != null) {
      Path file =
          traceFramesFile != null
              ? traceFramesFile
              : dir.resolve("logs").resolve("apiserver-frames.jsonl");
      frames = FrameTracer.to(file, "apiserver", traceFrames);
      server.hops().traceFrames(frames, "client");
    }
    FrameTracer tracer = frames;
    SessionRecorder recorder =
        recordSessions != null ? SessionRecorder.to(recordSessions) : SessionRecorder.OFF;
    server.hops().recordSessions(recorder);
    AtomicReference<ApiServer> ref = new AtomicReference<>(server);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    ref.get().close().await(10, TimeUnit.SECONDS);
                    vertx.close().await(10, TimeUnit.SECONDS);
                    tracer.close(); // writes out the frames still queued
                    recorder.close(); // and the recordings: each file stays valid
                  } catch (Exception e) {
                    // exiting anyway
                  } finally {
                    stopped.countDown();
                    System.out.flush();
                    // The JVM would report 143 for SIGTERM; design.md asks for 0 after a clean
                    // close.
                    Runtime.getRuntime().halt(0);
                  }
                },
                "apiserver-shutdown"));
    System.out.println(
        "kubehop apiserver ready "
            + (tlsCertFile != null ? "https://" : "http://")
            + hostForUrl(bindAddress)
            + ":"
            + server.port());
    System.out.flush();
    stopped.await();
    return 0;
  }

  StorageOptions storage() {
    return storageBackend == StorageOptions.Backend.ETCD
        ? StorageOptions.etcd(StorageOptions.parseServers(etcdServers), etcdPrefix)
        : StorageOptions.FILE;
  }

  /** The kubelet client's TLS files, or null when kubelets are dialled in plain HTTP. */
  TlsFiles kubeletClientTls() {
    if (kubeletClientCertificate == null
        && kubeletClientKey == null
        && kubeletCertificateAuthority == null) {
      return null;
    }
    return new TlsFiles(kubeletClientCertificate, kubeletClientKey, kubeletCertificateAuthority);
  }

  private static String hostForUrl(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  static Path defaultHome() {
    String env = System.getenv("KUBEHOP_HOME");
    return env != null && !env.isEmpty()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".kubehop");
  }

  /** One line per event on stdout, prefixed with the tier name (design.md). */
  static void configureLogging() {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler out =
        new ConsoleHandler() {
          {
            setOutputStream(System.out);
          }
        };
    out.setFormatter(
        new SimpleFormatter() {
          @Override
          public String format(LogRecord r) {
            String msg = formatMessage(r);
            String thrown = r.getThrown() == null ? "" : " " + r.getThrown();
            return "apiserver "
                + Instant.ofEpochMilli(r.getMillis())
                + " "
                + r.getLevel()
                + " "
                + msg.replace('\n', ' ')
                + thrown
                + System.lineSeparator();
          }
        });
    // loggers decide (INFO by default), as in the other tiers: -Djava.util.logging.config.file=…
    // can turn one up to
    // FINE, e.g. io.kubehop.apiserver.http.HttpLog.level=FINE for every request
    out.setLevel(Level.ALL);
    root.addHandler(out);
  }
}
