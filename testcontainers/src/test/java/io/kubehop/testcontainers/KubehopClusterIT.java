package io.kubehop.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.kubehop.client.cli.CliContext;
import io.kubehop.client.cli.KubehopCommand;
import io.kubehop.client.rest.KubeconfigLoader;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Tools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link KubehopCluster} as a client author would use it: start it, take its kubeconfig, and exec
 * into real processes on its nodes with fabric8 and with kubehop's own client, while lsof inside
 * the containers shows the session's hops crossing them: the apiserver container to the node's
 * kubelet container, and the kubelet to the runtime on the node's loopback.
 *
 * <p>The image is built from the project's Dockerfile (base: {@code KUBEHOP_BASE_IMAGE}, else the
 * Dockerfile's public default) and removed when the JVM exits. Under {@code CI=true} a machine
 * without Docker fails this test; elsewhere it is skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubehopClusterIT {

  private static final Path ROOT =
      Path.of(System.getProperty("kubehop.root", "..")).toAbsolutePath().normalize();
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private String image;
  private KubehopCluster cluster;
  private KubernetesClient client;
  private Path kubeconfig;

  @BeforeAll
  void start(@TempDir Path tmp) throws IOException {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      String message = "no Docker daemon for Testcontainers";
      if (Tools.onCi()) {
        throw new AssertionError(message + " (CI=true: missing tools fail, they never skip)");
      }
      Assumptions.abort(message);
    }
    ImageFromDockerfile build =
        new ImageFromDockerfile("kubehop-testcontainers-it", false)
            .withDockerfile(ROOT.resolve("Dockerfile"));
    String base = System.getenv("KUBEHOP_BASE_IMAGE");
    if (base != null && !base.isBlank()) {
      build.withBuildArg("BASE_IMAGE", base);
    }
    image = build.get();
    cluster = new KubehopCluster(DockerImageName.parse(image)).withNodes(2);
    cluster.start();
    kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(kubeconfig, cluster.getKubeConfigYaml());
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(cluster.getKubeConfigYaml()))
            .withHttpClientFactory(new JdkHttpClientFactory())
            .build();
    for (String node : List.of("node-1", "node-2")) {
      client
          .pods()
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("bb-" + node)
                  .endMetadata()
                  .withNewSpec()
                  .withNodeName(node)
                  .addNewContainer()
                  .withName("main")
                  .withImage("busybox")
                  .withCommand("sleep", "3600")
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
    }
    for (String node : List.of("node-1", "node-2")) {
      Await.until(
          "bb-" + node + " Running",
          Duration.ofSeconds(60),
          () -> {
            Pod pod = client.pods().withName("bb-" + node).get();
            return pod != null
                && pod.getStatus() != null
                && "Running".equals(pod.getStatus().getPhase());
          });
    }
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.stop();
    }
    if (image != null) { // Testcontainers leaves its removal to Ryuk, which CI cannot run
      DockerClientFactory.instance().client().removeImageCmd(image).withForce(true).exec();
    }
  }

  @Test
  void bothNodesAreReadyWithTheirContainerAddresses() {
    List<Node> nodes = client.nodes().list().getItems();
    assertThat(nodes)
        .extracting(n -> n.getMetadata().getName())
        .containsExactly("node-1", "node-2");
    for (Node node : nodes) {
      int n = Integer.parseInt(node.getMetadata().getName().substring("node-".length()));
      assertThat(node.getStatus().getAddresses())
          .anyMatch(
              a -> a.getType().equals("InternalIP") && a.getAddress().equals(cluster.getNodeIp(n)));
      assertThat(node.getStatus().getConditions())
          .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }
  }

  @Test
  void fabric8ExecsOnEachNode() throws Exception {
    for (String node : List.of("node-1", "node-2")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try (ExecWatch watch =
          client
              .pods()
              .withName("bb-" + node)
              .writingOutput(out)
              .writingError(err)
              .exec(
                  "sh",
                  "-c",
                  "echo hi from $(cat /proc/sys/kernel/hostname); echo err >&2; exit 3")) {
        assertThat(watch.exitCode().get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(3);
      }
      assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hi from " + node + "\n");
      assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
    }
  }

  @Test
  void kubehopsOwnClientExecsWithStdin() {
    String input = "abc\n" + "y".repeat(50_000) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliContext context =
        new CliContext(
            new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new KubeconfigLoader(Map.of("KUBECONFIG", kubeconfig.toString()), "/nonexistent"));
    int exit =
        KubehopCommand.commandLine(context)
            .execute("exec", "-i", "bb-node-2", "--", "sh", "-c", "cat; exit 4");
    assertThat(exit).as("stderr: %s", err).isEqualTo(4);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(input);
  }

  /**
   * During an exec, the apiserver's container holds a connection to node-1's address on :10250;
   * node-1's kubelet holds that same connection from the apiserver's address and one on its own
   * 127.0.0.1 to the runtime's streaming server, whose socket the runtime's container holds.
   */
  @Test
  void theHopChainCrossesTheContainers() throws Exception {
    String apiserverIp = Pattern.quote(cluster.getApiServerIp());
    String nodeIp = Pattern.quote(cluster.getNodeIp(1));
    String streaming = listening(lsof(cluster.getRuntime(1), "runtime"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ExecWatch watch =
        client
            .pods()
            .withName("bb-node-1")
            .writingOutput(out)
            .exec("sh", "-c", "echo started; sleep 60")) {
      Await.until(
          "started", DEADLINE, () -> out.toString(StandardCharsets.UTF_8).equals("started\n"));
      String apiserver = lsof(cluster.getApiServer(), "apiserver");
      String kubelet = lsof(cluster.getKubelet(1), "kubelet");
      String runtime = lsof(cluster.getRuntime(1), "runtime");
      Matcher hop2 =
          Pattern.compile("TCP " + apiserverIp + ":(\\d+)->" + nodeIp + ":10250 \\(ESTABLISHED\\)")
              .matcher(apiserver);
      assertThat(hop2.find()).as("apiserver: %s", apiserver).isTrue();
      assertThat(kubelet)
          .as("the kubelet's end of the same connection")
          .contains(
              "TCP "
                  + cluster.getNodeIp(1)
                  + ":10250->"
                  + cluster.getApiServerIp()
                  + ":"
                  + hop2.group(1)
                  + " (ESTABLISHED)");
      Matcher hop3 =
          Pattern.compile(
                  "TCP 127\\.0\\.0\\.1:(\\d+)->127\\.0\\.0\\.1:" + streaming + " \\(ESTABLISHED\\)")
              .matcher(kubelet);
      assertThat(hop3.find()).as("kubelet: %s", kubelet).isTrue();
      assertThat(runtime)
          .as("the runtime's end of it, in another container of the same network namespace")
          .contains(
              "TCP 127.0.0.1:" + streaming + "->127.0.0.1:" + hop3.group(1) + " (ESTABLISHED)");
    }
  }

  private static String lsof(GenericContainer<?> container, String process)
      throws IOException, InterruptedException {
    ExecResult result =
        container.execInContainer("sh", "-c", "lsof -Pn -a -iTCP -p \"$(pidof " + process + ")\"");
    assertThat(result.getExitCode()).as("lsof: %s", result.getStderr()).isZero();
    return result.getStdout();
  }

  private static String listening(String lsof) {
    Matcher listen = Pattern.compile("TCP 127\\.0\\.0\\.1:(\\d+) \\(LISTEN\\)").matcher(lsof);
    assertThat(listen.find()).as(lsof).isTrue();
    return listen.group(1);
  }
}
