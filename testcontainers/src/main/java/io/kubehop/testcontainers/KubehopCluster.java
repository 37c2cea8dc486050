package io.kubehop.testcontainers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Network.Ipam;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.kubehop.client.pki.AltNames;
import io.kubehop.client.pki.ClusterPki;
import io.kubehop.client.pki.NodeAddress;
import io.kubehop.client.pki.PkiException;
import io.kubehop.client.pki.PkiLayout;
import io.kubehop.client.pki.PkiRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A kubehop cluster for tests of Kubernetes clients: an apiserver and N nodes, each node a kubelet
 * container and a runtime container in the kubelet's network namespace, so the CRI streaming server
 * is on the node's own 127.0.0.1 as on a real node. The tiers speak the real wire protocols with
 * TLS, tokens and RBAC, and exec, attach, port-forward and logs reach real processes.
 *
 * <pre>{@code
 * try (KubehopCluster cluster = new KubehopCluster(DockerImageName.parse("kubehop:dev"))) {
 *   cluster.start();
 *   Config config = Config.fromKubeconfig(cluster.getKubeConfigYaml()); // fabric8, for instance
 *   ...
 * }
 * }</pre>
 *
 * <p>The image is the project's top-level Dockerfile's. The containers share a network of their own
 * with fixed addresses ({@code X.10} the apiserver, {@code X.(10+n)} node-n), because a node's
 * serving certificate names the IP it advertises. Only the apiserver's port is published, on
 * 127.0.0.1. The certificates and tokens are made on the host at {@link #start} in a temporary
 * folder that {@link #stop} deletes.
 */
public class KubehopCluster implements Startable {

  /** The apiserver's port in its container. */
  public static final int APISERVER_PORT = 6443;

  private static final String HOME = "/var/lib/kubehop";
  private static final Duration STARTUP = Duration.ofMinutes(2);
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DockerImageName image;
  private int nodes = 2;
  private String subnet;
  private Path home;
  private Network network;
  private GenericContainer<?> apiserver;
  private final List<GenericContainer<?>> kubelets = new ArrayList<>();
  private final List<GenericContainer<?>> runtimes = new ArrayList<>();

  public KubehopCluster(DockerImageName image) {
    this.image = image;
  }

  /** How many nodes, 1 to 9 (default 2): node-1 … node-N. */
  public KubehopCluster withNodes(int count) {
    if (count < 1 || count > 9) {
      throw new IllegalArgumentException("nodes: want 1 to 9, got " + count);
    }
    this.nodes = count;
    return this;
  }

  /**
   * The first three octets of the cluster network's /24 (default: a random {@code 172.29.X}), for a
   * machine where that range is taken.
   */
  public KubehopCluster withSubnet(String firstThreeOctets) {
    this.subnet = firstThreeOctets;
    return this;
  }

  /** Starts the apiserver, then each node, and returns once every node is Ready. */
  @Override
  public void start() {
    if (subnet == null) {
      subnet = "172.29." + (100 + ThreadLocalRandom.current().nextInt(100));
    }
    try {
      home = Files.createTempDirectory("kubehop-testcontainers");
      makePki();
      network =
          Network.builder()
              .createNetworkCmdModifier(
                  cmd ->
                      cmd.withIpam(
                          new Ipam().withConfig(new Ipam.Config().withSubnet(subnet + ".0/24"))))
              .build();
      apiserver = apiserver();
      apiserver.start();
      for (int n = 1; n <= nodes; n++) {
        GenericContainer<?> kubelet = kubelet(n);
        kubelet.start(); // it waits for the runtime's socket, which the runtime below creates
        kubelets.add(kubelet);
        GenericContainer<?> runtime = runtime(n, kubelet);
        runtime.start();
        runtimes.add(runtime);
        Wait.forLogMessage(".*kubehop kubelet ready.*\\n", 1)
            .withStartupTimeout(STARTUP)
            .waitUntilReady(kubelet);
      }
      awaitNodesReady();
    } catch (IOException e) {
      stop();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      stop();
      throw e;
    }
  }

  /** Stops and removes every container, the network and the certificates. */
  @Override
  public void stop() {
    Stream.of(runtimes, kubelets).flatMap(List::stream).forEach(GenericContainer::stop);
    runtimes.clear();
    kubelets.clear();
    if (apiserver != null) {
      apiserver.stop();
      apiserver = null;
    }
    if (network != null) {
      network.close();
      network = null;
    }
    if (home != null) {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      home = null;
    }
  }

  /**
   * An admin kubeconfig (system:masters, bearer token, the cluster CA inline) for the apiserver's
   * published port on this host.
   */
  public String getKubeConfigYaml() {
    return kubeconfig(PkiLayout::adminKubeconfig);
  }

  /** A read-only user's kubeconfig: get, list and watch; no exec, attach or port-forward. */
  public String getViewerKubeConfigYaml() {
    return kubeconfig(PkiLayout::viewerKubeconfig);
  }

  /** {@code https://HOST:PORT} of the apiserver as this host reaches it. */
  public String getApiServerUrl() {
    return "https://" + apiserver.getHost() + ":" + apiserver.getMappedPort(APISERVER_PORT);
  }

  /** The apiserver's container. */
  public GenericContainer<?> getApiServer() {
    return apiserver;
  }

  /** Node {@code n}'s kubelet container (n from 1). */
  public GenericContainer<?> getKubelet(int n) {
    return kubelets.get(n - 1);
  }

  /** Node {@code n}'s runtime container, which shares its kubelet's network namespace. */
  public GenericContainer<?> getRuntime(int n) {
    return runtimes.get(n - 1);
  }

  /** The apiserver's address on the cluster network. */
  public String getApiServerIp() {
    return subnet + ".10";
  }

  /** Node {@code n}'s address on the cluster network: its InternalIP. */
  public String getNodeIp(int n) {
    return subnet + "." + (10 + n);
  }

  private void makePki() throws IOException {
    List<NodeAddress> addresses = new ArrayList<>();
    for (int n = 1; n <= nodes; n++) {
      addresses.add(new NodeAddress("node-" + n, InetAddress.getByName(getNodeIp(n))));
    }
    try {
      new ClusterPki(new PkiLayout(home))
          .ensure(
              new PkiRequest(
                  // Rewritten to the published port by getKubeConfigYaml.
                  URI.create("https://127.0.0.1:" + APISERVER_PORT),
                  AltNames.parse(List.of("apiserver", getApiServerIp())),
                  addresses,
                  false));
    } catch (PkiException e) {
      throw new IllegalStateException("kubehop pki: " + e.getMessage(), e);
    }
  }

  private GenericContainer<?> apiserver() {
    String pki = HOME + "/pki/";
    return container(true)
        .withNetworkAliases("apiserver")
        .withCreateContainerCmdModifier(
            cmd -> {
              cmd.withIpv4Address(getApiServerIp()).withHostName("apiserver");
              // Published on 127.0.0.1 only, not on every interface as Testcontainers does.
              Ports ports = new Ports();
              ports.bind(ExposedPort.tcp(APISERVER_PORT), Ports.Binding.bindIp("127.0.0.1"));
              cmd.getHostConfig().withPortBindings(ports);
            })
        .withExposedPorts(APISERVER_PORT)
        .withCopyFileToContainer(
            MountableFile.forHostPath(home.resolve("pki"), 0700), HOME + "/pki")
        .withCommand(
            "apiserver",
            "--home=" + HOME,
            "--bind-address=0.0.0.0",
            "--port=" + APISERVER_PORT,
            "--tls-cert-file=" + pki + "apiserver.crt",
            "--tls-private-key-file=" + pki + "apiserver.key",
            "--client-ca-file=" + pki + "ca.crt",
            "--token-auth-file=" + pki + "tokens.csv",
            "--authorization-mode=RBAC",
            "--kubelet-client-certificate=" + pki + "apiserver-kubelet-client.crt",
            "--kubelet-client-key=" + pki + "apiserver-kubelet-client.key",
            "--kubelet-certificate-authority=" + pki + "ca.crt")
        .waitingFor(Wait.forLogMessage(".*kubehop apiserver ready.*\\n", 1));
  }

  /** Node {@code n}'s kubelet, with only that node's certificates and the CA's certificate. */
  private GenericContainer<?> kubelet(int n) {
    String node = "node-" + n;
    String pki = HOME + "/pki/";
    String mine = pki + "nodes/" + node + "/";
    String socket = nodeDir(n) + "/runtime.sock";
    GenericContainer<?> kubelet =
        container(true)
            .withCreateContainerCmdModifier(
                cmd ->
                    cmd.withIpv4Address(getNodeIp(n))
                        .withHostName(node)
                        // The socket and the pod logs live here; the runtime mounts it too. An
                        // anonymous volume, so removing the container removes it.
                        .withVolumes(new Volume(nodeDir(n)))
                        // The runtime joins this container's network namespace, so it can start
                        // only after this one: the kubelet waits for its socket, as `bin/kubehop
                        // up` starts a node's runtime before its kubelet.
                        .withEntrypoint(
                            "sh",
                            "-c",
                            "until [ -S " + socket + " ]; do sleep 0.2; done; exec \"$@\"",
                            "--"))
            .withCopyFileToContainer(
                MountableFile.forHostPath(home.resolve("pki/ca.crt"), 0644), pki + "ca.crt")
            .withCommand(
                "kubelet",
                "--home=" + HOME,
                "--node-name=" + node,
                "--node-ip=" + getNodeIp(n),
                "--address=0.0.0.0",
                "--port=10250",
                "--apiserver=https://apiserver:" + APISERVER_PORT,
                "--runtime-endpoint=unix://" + socket,
                "--tls-cert-file=" + mine + "kubelet.crt",
                "--tls-private-key-file=" + mine + "kubelet.key",
                "--client-ca-file=" + pki + "ca.crt",
                "--apiserver-ca-file=" + pki + "ca.crt",
                "--apiserver-client-certificate=" + mine + "kubelet-client.crt",
                "--apiserver-client-key=" + mine + "kubelet-client.key")
            // Started before its runtime; start() waits for its ready line once the runtime runs.
            .waitingFor(Wait.forListeningPorts());
    for (String file :
        List.of("kubelet.crt", "kubelet.key", "kubelet-client.crt", "kubelet-client.key")) {
      kubelet.withCopyFileToContainer(
          MountableFile.forHostPath(
              home.resolve("pki/nodes/" + node + "/" + file), file.endsWith(".key") ? 0600 : 0644),
          mine + file);
    }
    return kubelet;
  }

  private GenericContainer<?> runtime(int n, GenericContainer<?> kubelet) {
    // Not on the network: Testcontainers would put it there instead of into the kubelet's
    // namespace.
    return container(false)
        .withNetworkMode("container:" + kubelet.getContainerId())
        .withVolumesFrom(kubelet, BindMode.READ_WRITE)
        .withCommand(
            "runtime",
            "--home=" + HOME,
            "--node-name=node-" + n,
            "--socket=" + nodeDir(n) + "/runtime.sock",
            "--pod-cidr=127.20." + n + ".0/24",
            "--streaming-address=127.0.0.1")
        .waitingFor(Wait.forLogMessage(".*kubehop runtime ready.*\\n", 1));
  }

  @SuppressWarnings("resource") // stop() closes each
  private GenericContainer<?> container(boolean onNetwork) {
    GenericContainer<?> container =
        new GenericContainer<>(image)
            .withStartupTimeout(STARTUP)
            .withEnv("KUBEHOP_HOME", HOME)
            // Pods are the runtime's children; an init process reaps the orphans among them.
            .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withInit(true));
    return onNetwork ? container.withNetwork(network) : container;
  }

  private static String nodeDir(int n) {
    return HOME + "/nodes/node-" + n;
  }

  private String kubeconfig(Function<PkiLayout, Path> which) {
    try {
      JsonNode config = YAML.readTree(which.apply(new PkiLayout(home)).toFile());
      for (JsonNode cluster : config.path("clusters")) {
        ((ObjectNode) cluster.path("cluster")).put("server", getApiServerUrl());
      }
      return YAML.writeValueAsString(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls the API, as the admin, until every node reports Ready=True. */
  private void awaitNodesReady() throws IOException {
    JsonNode config = YAML.readTree(getKubeConfigYaml());
    String token = config.path("users").path(0).path("user").path("token").asText();
    HttpClient http =
        HttpClient.newBuilder().sslContext(trusting(home.resolve("pki/ca.crt"))).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(getApiServerUrl() + "/api/v1/nodes"))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(10))
            .build();
    Instant deadline = Instant.now().plus(STARTUP);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        last = response.statusCode() + " " + response.body();
        if (response.statusCode() == 200 && readyNodes(JSON.readTree(response.body())) == nodes) {
          return;
        }
        Thread.sleep(200); // polling a remote condition: there is nothing to wait on but time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the nodes", e);
      }
    }
    throw new IllegalStateException(
        "not all " + nodes + " nodes Ready within " + STARTUP + "; last answer: " + last);
  }

  private static long readyNodes(JsonNode list) {
    long ready = 0;
    for (JsonNode node : list.path("items")) {
      for (JsonNode condition : node.path("status").path("conditions")) {
        if (condition.path("type").asText().equals("Ready")
            && condition.path("status").asText().equals("True")) {
          ready++;
        }
      }
    }
    return ready;
  }

  private static SSLContext trusting(Path caPem) throws IOException {
    try (InputStream in = Files.newInputStream(caPem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the cluster CA " + caPem + ": " + e.getMessage(), e);
    }
  }
}
