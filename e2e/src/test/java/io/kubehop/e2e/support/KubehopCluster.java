package io.kubehop.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.testkit.Commands;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A whole kubehop cluster started the way a user starts one, {@code bin/kubehop up -d}, in a
 * temporary {@code KUBEHOP_HOME} with free ports, so that several clusters (and a developer's own)
 * run side by side. {@link #close()} runs {@code bin/kubehop down} and removes the home.
 */
public final class KubehopCluster implements AutoCloseable {

  private static final Path ROOT =
      Path.of(System.getProperty("kubehop.root", "..")).toAbsolutePath().normalize();

  private final Path home;
  private final int apiserverPort;
  private final int kubeletPort;
  private HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private String adminToken;

  private final Map<String, String> env;

  private KubehopCluster(Path home, int apiserverPort, int kubeletPort, Map<String, String> env) {
    this.env = env;
    this.home = home;
    this.apiserverPort = apiserverPort;
    this.kubeletPort = kubeletPort;
  }

  /** Starts a cluster; {@code extraFlags} go to {@code kubehop up}. */
  public static KubehopCluster up(String... extraFlags) {
    return up(Map.of(), extraFlags);
  }

  /**
   * A cluster as {@code bin/kubehop up} makes it by default: HTTPS, tokens, RBAC, kubelets that
   * answer only the apiserver's certificate. {@link #up(String...)} starts the suites that speak to
   * the tiers' ports directly (raw sockets, debug endpoints) with {@code --insecure-http}.
   */
  public static KubehopCluster upSecure(String... extraFlags) {
    return start(Map.of(), extraFlags);
  }

  /**
   * Starts a cluster whose tiers get {@code env} too, e.g. {@code KUBEHOP_JAVA_OPTS} to cap their
   * heaps.
   */
  public static KubehopCluster up(Map<String, String> env, String... extraFlags) {
    List<String> flags = new ArrayList<>(List.of("--insecure-http"));
    flags.addAll(List.of(extraFlags));
    return start(env, flags.toArray(String[]::new));
  }

  private static KubehopCluster start(Map<String, String> env, String... extraFlags) {
    try {
      Path home = Files.createTempDirectory("kubehop-e2e-");
      int apiserverPort = freePort("127.0.0.1");
      int kubeletPort = freePort("127.0.1.1");
      KubehopCluster cluster = new KubehopCluster(home, apiserverPort, kubeletPort, env);
      List<String> command =
          new ArrayList<>(
              List.of(
                  ROOT.resolve("bin/kubehop").toString(),
                  "up",
                  "-d",
                  "--apiserver-port",
                  Integer.toString(apiserverPort),
                  "--kubelet-port",
                  Integer.toString(kubeletPort)));
      command.addAll(List.of(extraFlags));
      ProcessResult result = cluster.kubehop(command, Duration.ofMinutes(3));
      if (result.exitCode() != 0) {
        String logs = cluster.logs();
        cluster.close();
        throw new AssertionError("kubehop up failed: " + result + "\n--- logs ---\n" + logs);
      }
      if (cluster.secure()) {
        cluster.http = ClusterTls.client(cluster.pki().resolve("ca.crt"));
        cluster.adminToken = ClusterTls.token(cluster.pki().resolve("tokens.csv"), "kubehop-admin");
      }
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A port that is free on {@code host} now (ports of 127/8 addresses are distinct per address).
   */
  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      return socket.getLocalPort();
    }
  }

  /**
   * apiserver-N's own URL (not the balancer's), from the cluster.json {@code up --apiservers}
   * wrote.
   */
  public URI apiserverUrl(int n) {
    try {
      JsonNode json = Pods.tree(Files.readString(home().resolve("cluster.json")));
      for (JsonNode a : json.path("apiserver").path("apiservers")) {
        if (a.path("name").asText().equals("apiserver-" + n)) {
          return URI.create(a.path("url").asText());
        }
      }
      throw new AssertionError("no apiserver-" + n + " in cluster.json: " + json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path home() {
    return home;
  }

  /** Whether the cluster is secure (not {@code --insecure-http}): HTTPS, tokens, RBAC, mTLS. */
  public boolean secure() {
    return Files.exists(pki().resolve("ca.crt"));
  }

  /** {@code $KUBEHOP_HOME/pki} of a secure cluster. */
  public Path pki() {
    return home.resolve("pki");
  }

  /** The read-only user's kubeconfig of a secure cluster. */
  public Path viewerKubeconfig() {
    return home.resolve("kubeconfig-viewer");
  }

  public Path kubeconfig() {
    return home.resolve("kubeconfig");
  }

  /**
   * A stock kubectl of {@code minor} for this cluster: its kubeconfig, a cache dir of its own, its
   * home as HOME.
   */
  public Kubectl kubectl(String minor) {
    try {
      return new Kubectl(
              minor, kubeconfig(), Files.createTempDirectory(home, "kubectl-cache-" + minor + "-"))
          .env("HOME", home.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * kubehop's own CLI for this cluster, its streaming commands pinned to {@code transport} ({@code
   * auto}, {@code websocket}, {@code spdy}; null for the default).
   */
  public KubehopCli kubehopCli(String transport) {
    return new KubehopCli(this, transport);
  }

  /** The environment the tiers were started with, beyond the inherited one. */
  Map<String, String> environment() {
    return new HashMap<>(env);
  }

  public int apiserverPort() {
    return apiserverPort;
  }

  public int kubeletPort() {
    return kubeletPort;
  }

  public static Path root() {
    return ROOT;
  }

  /** Runs {@code bin/kubehop ARGS…} against this cluster. */
  public ProcessResult kubehop(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin/kubehop").toString());
    command.addAll(List.of(args));
    return kubehop(command, Duration.ofMinutes(1));
  }

  private ProcessResult kubehop(List<String> command, Duration deadline) {
    return Commands.run(command, kubehopEnvironment(), null, deadline, ROOT);
  }

  /** Runs {@code bin/kubehop ARGS…} against this cluster with {@code stdin} (null: none). */
  public ProcessResult kubehop(byte[] stdin, Duration deadline, String... args) {
    return Commands.run(kubehopCommand(args), kubehopEnvironment(), stdin, deadline, ROOT);
  }

  /** The command line of {@code bin/kubehop ARGS…}, e.g. for a {@link PtySession}. */
  public List<String> kubehopCommand(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin/kubehop").toString());
    command.addAll(List.of(args));
    return command;
  }

  /** The environment changes that point {@code bin/kubehop} at this cluster. */
  public Map<String, String> kubehopEnvironment() {
    Map<String, String> environment = new HashMap<>(env);
    environment.put("KUBEHOP_HOME", home.toString());
    environment.put("KUBECONFIG", home.resolve("kubeconfig").toString());
    return environment;
  }

  /**
   * The pid that {@code kubehop up} recorded for a tier, e.g. {@code apiserver}, {@code
   * kubelet-node-1}.
   */
  public long pid(String name) {
    try {
      return Long.parseLong(Files.readString(home.resolve("run/" + name + ".pid")).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Where a tier of node-1 serves {@code /debug/sessions} on an {@code --insecure-http} cluster:
   * {@code apiserver}, {@code kubelet} (its port on the node IP) or {@code runtime} (its streaming
   * server, whose port is random: the last one its log announces, so a restarted runtime's).
   */
  public String debugBase(String tier) {
    return switch (tier) {
      case "apiserver" -> "http://127.0.0.1:" + apiserverPort;
      case "kubelet" -> "http://127.0.1.1:" + kubeletPort;
      case "runtime" -> {
        try {
          Matcher m =
              Pattern.compile("streaming server listening on (http://\\S+)")
                  .matcher(Files.readString(home.resolve("logs/runtime-node-1.log")));
          String last = null;
          while (m.find()) {
            last = m.group(1);
          }
          if (last == null) {
            throw new IllegalStateException("the runtime has not announced its streaming server");
          }
          yield last;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      default -> throw new IllegalArgumentException("no tier " + tier);
    };
  }

  /** GET on the apiserver; returns the status code and body. */
  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(api(path)).GET().build());
  }

  /** Whether the apiserver answers {@code /readyz} with 200; false while it is down. */
  public boolean isReady() {
    try {
      return http.send(
                  authorized(HttpRequest.newBuilder(api("/readyz"))).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      HttpRequest signed =
          adminToken == null || request.headers().firstValue("Authorization").isPresent()
              ? request
              : authorized(HttpRequest.newBuilder(request, (name, value) -> true)).build();
      return http.send(signed, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public URI api(String path) {
    return URI.create((secure() ? "https" : "http") + "://127.0.0.1:" + apiserverPort + path);
  }

  /** {@code builder} with the admin's bearer token on a secure cluster. */
  private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
    return adminToken == null ? builder : builder.header("Authorization", "Bearer " + adminToken);
  }

  /** Every tier's log, for failure messages. */
  public String logs() {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(home.resolve("logs"))) {
      for (Path log : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        all.append("=== ").append(log.getFileName()).append(" (last 80 lines) ===\n");
        lines
            .subList(Math.max(0, lines.size() - 80), lines.size())
            .forEach(l -> all.append(l).append('\n'));
      }
    } catch (IOException e) {
      all.append("(no logs: ").append(e.getMessage()).append(")");
    }
    return all.toString();
  }

  @Override
  public void close() {
    kubehop("down");
    try (Stream<Path> paths = Files.walk(home)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // Best effort: the temp directory is only litter.
    }
  }
}
