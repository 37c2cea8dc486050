package io.kubehop.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.testkit.Await;
import io.kubehop.testkit.Commands;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.Tools;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * One project of the top-level {@code docker-compose.yml} (plus override files), brought up with
 * Debian's docker-compose 1.29 on its own project name, apiserver port, /24, kubeconfig folder and
 * image tag, so a developer's own stack runs beside it. {@link #down} removes all of it and checks
 * that nothing of the project is left: no container, network or volume.
 *
 * <p>Under {@code CI=true} a missing docker-compose or docker daemon fails; elsewhere the test is
 * skipped. A machine that cannot pull {@code eclipse-temurin:17-jre} sets {@code
 * KUBEHOP_BASE_IMAGE} (CI's {@code .ci/offline-docker.sh} builds one); compose passes it on.
 */
public final class ComposeStack {

  private final String project = "kubehop-it-" + ThreadLocalRandom.current().nextInt(1 << 20);
  private final List<String> overrides;
  private final Map<String, String> env = new HashMap<>();
  private final String net = "172.28." + (100 + ThreadLocalRandom.current().nextInt(100));
  private final Path out;
  private final Path compose;
  private final Path docker;
  private boolean started;

  private ComposeStack(Path tmp, List<String> overrides) throws IOException {
    this.overrides = overrides;
    this.out = Files.createDirectories(tmp.resolve("out"));
    this.compose = Tools.onPath("docker-compose");
    this.docker = Tools.onPath("docker");
  }

  /**
   * Brings up the stack with the given override files (relative to the project root) on top of the
   * main file, and waits until both nodes are Ready.
   */
  public static ComposeStack up(Path tmp, String... overrides) throws IOException {
    ComposeStack stack = new ComposeStack(tmp, List.of(overrides));
    stack.start();
    return stack;
  }

  private void start() throws IOException {
    ProcessResult info = Commands.run(List.of(docker.toString(), "info"), Map.of(), null, SHORT);
    if (info.exitCode() != 0) {
      String message = "no docker daemon answers: " + info.stderr();
      if (Tools.onCi()) {
        throw new AssertionError(message + " (CI=true: missing tools fail, they never skip)");
      }
      Assumptions.abort(message);
    }
    env.put("KUBEHOP_APISERVER_PORT", Integer.toString(freePort()));
    env.put("KUBEHOP_COMPOSE_NET", net);
    env.put("KUBEHOP_COMPOSE_OUT", out.toString());
    env.put("KUBEHOP_IMAGE", "kubehop:" + project); // its own tag: `down --rmi all` removes only it
    env.put("DOCKER_BUILDKIT", null); // the legacy builder: no buildx needed
    started = true;
    ProcessResult upResult = compose(Duration.ofMinutes(10), "up", "-d", "--build");
    assertThat(upResult.exitCode()).as("compose up: %s", upResult).isZero();
    Kubectl kubectl = kubectl("1.33");
    Await.until(
        "both nodes Ready",
        Duration.ofSeconds(120),
        () -> {
          ProcessResult nodes = kubectl.run("get", "nodes", "--no-headers");
          return nodes.exitCode() == 0
              && nodes.stdout().lines().filter(l -> l.matches("node-[12]\\s+Ready\\s.*")).count()
                  == 2;
        });
  }

  /** Stock kubectl {@code minor} with the kubeconfig the stack wrote for the host. */
  public Kubectl kubectl(String minor) throws IOException {
    return new Kubectl(
        minor,
        out.resolve("kubeconfig"),
        Files.createDirectories(out.resolveSibling("kubectl-cache-" + minor)));
  }

  /**
   * Runs pod {@code name} of {@code image} on {@code node} with {@code args}, and waits until it
   * runs.
   */
  public void runPod(String name, String node, String image, String... args) throws IOException {
    Kubectl kubectl = kubectl("1.33");
    List<String> command =
        new ArrayList<>(
            List.of(
                "run",
                name,
                "--image=" + image,
                "--restart=Never",
                "--overrides={\"apiVersion\":\"v1\",\"spec\":{\"nodeName\":\"" + node + "\"}}"));
    command.addAll(List.of(args));
    ProcessResult run = kubectl.run(command.toArray(String[]::new));
    assertThat(run.exitCode()).as("%s", run).isZero();
    Await.until(
        name + " Running",
        Duration.ofSeconds(60),
        () -> kubectl.run("get", "pod", name, "--no-headers").stdout().contains("Running"));
  }

  /** The address node {@code n} (1, 2) and the apiserver (0) have on the cluster network. */
  public String ip(int n) {
    return net + "." + (10 + n);
  }

  /** Runs {@code command} in {@code service}'s container, as root, without a tty. */
  public ProcessResult exec(String service, String... command) {
    List<String> args = new ArrayList<>(List.of("exec", "-T", service));
    args.addAll(List.of(command));
    return compose(SHORT, args.toArray(String[]::new));
  }

  /** What {@code service}'s containers wrote on stdout and stderr so far, without colours. */
  public String logs(String service) {
    ProcessResult result = compose(SHORT, "logs", "--no-color", service);
    assertThat(result.exitCode()).as("logs of %s: %s", service, result).isZero();
    return result.stdout();
  }

  /** {@code lsof -Pn} of {@code process}'s TCP sockets (found with pidof) in {@code service}. */
  public String lsof(String service, String process) {
    ProcessResult result =
        exec(service, "sh", "-c", "lsof -Pn -a -iTCP -p \"$(pidof " + process + ")\"");
    assertThat(result.exitCode()).as("lsof in %s: %s", service, result).isZero();
    return result.stdout();
  }

  /**
   * Stops and removes the project with its volumes and image, then checks that docker lists no
   * container, network or volume of it.
   */
  public void down() {
    if (!started) {
      return;
    }
    ProcessResult downResult =
        compose(Duration.ofMinutes(2), "down", "-v", "--rmi", "all", "--remove-orphans");
    assertThat(downResult.exitCode()).as("compose down: %s", downResult).isZero();
    String label = "label=com.docker.compose.project=" + project;
    for (String kind : List.of("container", "network", "volume")) {
      List<String> ls = new ArrayList<>(List.of(docker.toString(), kind, "ls", "-q"));
      if (kind.equals("container")) {
        ls.add("--all");
      }
      ls.addAll(List.of("--filter", label));
      ProcessResult left = Commands.run(ls, Map.of(), null, SHORT);
      assertThat(left.exitCode()).as("%s", left).isZero();
      assertThat(left.stdout()).as("%ss left behind by %s", kind, project).isBlank();
    }
  }

  private ProcessResult compose(Duration deadline, String... args) {
    Path root = KubehopCluster.root();
    List<String> command = new ArrayList<>(List.of(compose.toString(), "-p", project));
    command.addAll(List.of("-f", root.resolve("docker-compose.yml").toString()));
    overrides.forEach(file -> command.addAll(List.of("-f", root.resolve(file).toString())));
    command.addAll(List.of("--project-directory", root.toString()));
    command.addAll(List.of(args));
    return Commands.run(command, env, null, deadline, root);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static final Duration SHORT = Duration.ofSeconds(60);
}
