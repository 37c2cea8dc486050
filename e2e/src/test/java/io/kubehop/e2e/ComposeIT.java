package io.kubehop.e2e;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The top-level {@code docker-compose.yml} (issue 13): the apiserver and two nodes as containers,
 * each node's runtime in its kubelet's network namespace, PKI from the {@code init} service. Stock
 * kubectl on the host reaches the published apiserver with the kubeconfig the stack wrote, finds
 * both nodes Ready, and execs into a busybox pod on each node.
 *
 * <p>It runs its own compose project (its own name, apiserver port, /24, kubeconfig folder and
 * image tag), so a developer's stack can run beside it; {@code down -v --rmi all} removes what it
 * made. Under {@code CI=true} a missing docker-compose or docker daemon fails it; elsewhere it is
 * skipped. A machine that cannot pull {@code eclipse-temurin:17-jre} sets {@code
 * KUBEHOP_BASE_IMAGE} (e.g. {@code local/jre17-base}, which {@code
 * /work/shared/scripts/offline-docker.sh} builds); the test passes it to compose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeIT {

  private static final Path ROOT =
      Path.of(System.getProperty("kubehop.root", "..")).toAbsolutePath().normalize();

  private final String project = "kubehop-it-" + ThreadLocalRandom.current().nextInt(1 << 20);
  private final Map<String, String> env = new HashMap<>();
  private Path compose;
  private Kubectl kubectl;
  private boolean started;

  @BeforeAll
  void up(@TempDir Path tmp) throws IOException {
    compose = Tools.onPath("docker-compose");
    ProcessResult info =
        Commands.run(
            List.of(Tools.onPath("docker").toString(), "info"),
            Map.of(),
            null,
            Duration.ofSeconds(30));
    if (info.exitCode() != 0) {
      String message = "no docker daemon answers: " + info.stderr();
      if (Tools.onCi()) {
        throw new AssertionError(message + " (CI=true: missing tools fail, they never skip)");
      }
      Assumptions.abort(message);
    }
    Path out = Files.createDirectories(tmp.resolve("out"));
    env.put("KUBEHOP_APISERVER_PORT", Integer.toString(freePort()));
    env.put("KUBEHOP_COMPOSE_NET", "172.28." + (100 + ThreadLocalRandom.current().nextInt(100)));
    env.put("KUBEHOP_COMPOSE_OUT", out.toString());
    env.put("KUBEHOP_IMAGE", "kubehop:" + project); // its own tag: `down --rmi all` removes only it
    env.put("DOCKER_BUILDKIT", null); // the legacy builder: no buildx needed
    started = true;
    ProcessResult upResult = compose(Duration.ofMinutes(10), "up", "-d", "--build");
    assertThat(upResult.exitCode()).as("compose up: %s", upResult).isZero();
    kubectl =
        new Kubectl(
            "1.33",
            out.resolve("kubeconfig"),
            Files.createDirectories(tmp.resolve("kubectl-cache")));
  }

  @AfterAll
  void down() {
    if (!started) {
      return;
    }
    ProcessResult downResult =
        compose(Duration.ofMinutes(2), "down", "-v", "--rmi", "all", "--remove-orphans");
    assertThat(downResult.exitCode()).as("compose down: %s", downResult).isZero();
    ProcessResult left =
        Commands.run(
            List.of(
                Tools.onPath("docker").toString(),
                "ps",
                "-aq",
                "--filter",
                "label=com.docker.compose.project=" + project),
            Map.of(),
            null,
            Duration.ofSeconds(30));
    assertThat(left.stdout()).as("containers left behind").isBlank();
  }

  @Test
  void bothNodesBecomeReadyAndExecWorksOnEach() {
    Await.until(
        "both nodes Ready",
        Duration.ofSeconds(120),
        () -> {
          ProcessResult nodes = kubectl.run("get", "nodes", "--no-headers");
          return nodes.exitCode() == 0
              && nodes.stdout().lines().filter(l -> l.matches("node-[12]\\s+Ready\\s.*")).count()
                  == 2;
        });
    for (String node : List.of("node-1", "node-2")) {
      String pod = "bb-" + node;
      ProcessResult run =
          kubectl.run(
              "run",
              pod,
              "--image=busybox",
              "--restart=Never",
              "--overrides={\"apiVersion\":\"v1\",\"spec\":{\"nodeName\":\"" + node + "\"}}",
              "--",
              "sleep",
              "3600");
      assertThat(run.exitCode()).as("%s", run).isZero();
    }
    for (String node : List.of("node-1", "node-2")) {
      String pod = "bb-" + node;
      Await.until(
          pod + " Running",
          Duration.ofSeconds(60),
          () -> kubectl.run("get", "pod", pod, "--no-headers").stdout().contains("Running"));
      // The pod is a process of the runtime's container, which has the kubelet container's network
      // namespace and so its hostname: the node's. The echo came apiserver -> kubelet -> runtime.
      ProcessResult exec =
          kubectl.run(
              "exec", pod, "--", "sh", "-c", "echo hi from $(cat /proc/sys/kernel/hostname)");
      assertThat(exec.stdout()).as("%s", exec).isEqualTo("hi from " + node + "\n");
      ProcessResult exit = kubectl.run("exec", pod, "--", "sh", "-c", "exit 42");
      assertThat(exit.exitCode()).as("%s", exit).isEqualTo(42);
      ProcessResult stdin =
          kubectl.run("abc\n", Duration.ofSeconds(60), "exec", "-i", pod, "--", "cat");
      assertThat(stdin.stdout()).as("%s", stdin).isEqualTo("abc\n");
    }
  }

  private ProcessResult compose(Duration deadline, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                compose.toString(),
                "-p",
                project,
                "-f",
                ROOT.resolve("docker-compose.yml").toString(),
                "--project-directory",
                ROOT.toString()));
    command.addAll(List.of(args));
    return Commands.run(command, env, null, deadline, ROOT);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
