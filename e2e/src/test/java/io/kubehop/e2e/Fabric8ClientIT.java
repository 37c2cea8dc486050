package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The fabric8 Kubernetes client 8.0.0, unmodified (JDK HTTP client), against a kubehop cluster: it
 * creates pods, execs over WebSocket {@code v4.channel.k8s.io} (the only protocol it offers)
 * through all three hops, resizes a TTY and reads container logs.
 *
 * <p>v4 has no stdin-close signal: closing fabric8's input sends nothing on the wire (see
 * docs/wire-captures.md §4.2), so the stdin test reads exactly one line instead of waiting for EOF,
 * as it would have to against a real cluster too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Fabric8ClientIT {

  private static final Duration EXEC_DEADLINE = Duration.ofSeconds(30);

  private KubehopCluster cluster;
  private KubernetesClient client;

  @BeforeAll
  void up() throws IOException {
    cluster = KubehopCluster.up();
    Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
    client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new JdkHttpClientFactory())
            .build();
    create("demo", List.of("sleep", "3600"));
    // Known lines, then stay Running so that there is exactly one container instance and one log.
    create("logger", List.of("sh", "-c", "printf 'one\\ntwo\\nthree\\n'; exec sleep 3600"));
    for (String name : List.of("demo", "logger")) {
      Await.until(
          name + " Running and Ready",
          Duration.ofSeconds(60),
          () -> {
            Pod pod = client.pods().withName(name).get();
            return pod != null
                && pod.getStatus() != null
                && "Running".equals(pod.getStatus().getPhase())
                && pod.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
          });
    }
  }

  private void create(String name, List<String> command) {
    Pod created =
        client
            .pods()
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("main")
                    .withImage("busybox")
                    .withCommand(command)
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    assertThat(created.getMetadata().getName()).isEqualTo(name);
    assertThat(created.getMetadata().getNamespace()).isEqualTo("default");
  }

  @AfterAll
  void down() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private PodResource demo() {
    return client.pods().withName("demo");
  }

  @Test
  void echoPrintsExactlyHiAndExitsZero() throws Exception {
    Buffer out = new Buffer();
    Buffer err = new Buffer();
    try (ExecWatch watch = demo().writingOutput(out).writingError(err).exec("echo", "hi")) {
      assertThat(watch.exitCode().get(EXEC_DEADLINE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }
    assertThat(out.text()).isEqualTo("hi\n");
    assertThat(err.text()).isEmpty();
  }

  @Test
  void stdinStdoutStderrAndANonZeroExitCode() throws Exception {
    Buffer out = new Buffer();
    Buffer err = new Buffer();
    try (ExecWatch watch =
        demo()
            .redirectingInput()
            .writingOutput(out)
            .writingError(err)
            .exec(
                "sh", "-c", "IFS= read -r line; printf '%s\\n' \"$line\"; echo err >&2; exit 3")) {
      OutputStream stdin = watch.getInput();
      stdin.write("hello\n".getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      stdin.close(); // sends nothing on v4; the command does not depend on EOF
      assertThat(watch.exitCode().get(EXEC_DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(3);
    }
    assertThat(out.text()).isEqualTo("hello\n");
    assertThat(err.text()).isEqualTo("err\n");
  }

  @Test
  void ttyGetsTheInitialSizeBeforeTheCommandRunsAndFollowsAResize() throws Exception {
    Buffer out = new Buffer();
    Pattern size = Pattern.compile("\\d+ \\d+\r\n");
    try (ExecWatch watch =
        demo()
            .redirectingInput()
            .writingOutput(out)
            .withTTY()
            .exec("sh", "-c", "stty size; while read x; do stty size; done")) {
      watch.resize(
          101, 37); // cols, rows: the runtime waits (≤ 1 s) for this first size before starting the
      // command
      Await.until("the first stty size", EXEC_DEADLINE, () -> size.matcher(out.text()).find());
      assertThat(out.text()).startsWith("37 101\r\n");

      watch.resize(
          120,
          50); // later sizes arrive as SIGWINCH, asynchronously: ask, one line at a time, until
      // seen
      OutputStream stdin = watch.getInput();
      int[] asked = {0};
      Await.until(
          "the new size inside the pod",
          Duration.ofSeconds(20),
          () -> {
            String text = out.text();
            int answered = count(size, text) - 1;
            if (answered == asked[0]) {
              if (text.endsWith("50 120\r\n")) {
                return true;
              }
              send(stdin, "\n");
              asked[0]++;
            }
            return false;
          });
      send(stdin, "\u0004"); // ^D: read sees EOF, the loop ends, sh exits 0
      assertThat(watch.exitCode().get(EXEC_DEADLINE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }
    // Each answered line: the echoed newline, then stty's answer; the size changes once, from
    // 37x101 to 50x120.
    assertThat(out.text()).matches("37 101\r\n(\r\n37 101\r\n)*\r\n50 120\r\n");
  }

  @Test
  void logIsExactAndTailingLinesKeepsTheLastOne() {
    PodResource logger = client.pods().withName("logger");
    Await.until(
        "the logger's last line in its log",
        Duration.ofSeconds(30),
        () -> logger.getLog().contains("three"));
    assertThat(logger.getLog()).isEqualTo("one\ntwo\nthree\n");
    assertThat(logger.tailingLines(1).getLog()).isEqualTo("three\n");
    assertThat(logger.inContainer("main").tailingLines(2).getLog()).isEqualTo("two\nthree\n");
  }

  private static int count(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static void send(OutputStream stdin, String text) {
    try {
      stdin.write(text.getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new AssertionError("stdin write failed", e);
    }
  }

  /** Collects what fabric8 writes from its own threads; readable at any time. */
  private static final class Buffer extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      bytes.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
