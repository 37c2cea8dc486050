package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.e2e.support.PtySession;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.CliClient;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * exec, attach and cp through all three hops, for one cluster set-up and one set of kubectls (each
 * subclass): the same matrix proves SPDY end to end ({@link ExecIT}) and WebSocket v5 in each
 * translation mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExecMatrix {

  protected KubehopCluster cluster;
  private Pods pods;

  /** The flags of {@code kubehop up}. */
  abstract String[] clusterFlags();

  /**
   * The clients under test, as {@code Named} ids: a kubectl minor version ({@code 1.33}), or {@code
   * kubehop:TRANSPORT} for kubehop's own CLI with {@code --transport=TRANSPORT}.
   */
  abstract Stream<Arguments> kubectls();

  /** Environment for every kubectl (e.g. {@code KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false}). */
  abstract Map<String, String> extraEnv();

  /**
   * How the apiserver logs the hop of an exec by {@code client}, e.g. {@code (translated websocket
   * v5.channel.k8s.io -> …)}.
   */
  abstract String apiserverHop(String client);

  /** How the kubelet logs the hop of the same exec. */
  abstract String kubeletHop(String client);

  @BeforeAll
  void up() throws IOException {
    cluster = KubehopCluster.up(clusterFlags());
    pods = new Pods(cluster);
    Path manifest = cluster.home().resolve("pods.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: demo
        spec:
          containers:
          - name: main
            image: busybox
            command: ["sleep", "3600"]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: two
        spec:
          containers:
          - name: main
            image: busybox
            command: ["sleep", "3600"]
            env: [{name: WHO, value: main}]
          - name: second
            image: busybox
            command: ["sleep", "3600"]
            env: [{name: WHO, value: second}]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: attachme
        spec:
          containers:
          - name: main
            image: busybox
            command: ["sh"]
            stdin: true
            tty: true
        """);
    ProcessResult apply = cluster.kubectl("1.33").run("apply", "-f", manifest.toString());
    assertThat(apply.exitCode()).as(apply.toString()).isZero();
    for (String pod : List.of("demo", "two", "attachme")) {
      Await.until(
          pod + " Running",
          Duration.ofSeconds(60),
          () ->
              pods.pod(pod)
                  .map(p -> "Running".equals(p.path("status").path("phase").asText()))
                  .orElse(false));
    }
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Arguments kubectl(String label, String minor) {
    return Arguments.of(Named.of(label, minor));
  }

  static Arguments kubehop(String transport) {
    return Arguments.of(Named.of("kubehop --transport=" + transport, KUBEHOP + transport));
  }

  /** The id prefix of kubehop's own CLI among the clients. */
  static final String KUBEHOP = "kubehop:";

  /** The transport a {@code kubehop:TRANSPORT} client id pins, or null for a kubectl. */
  static String kubehopTransport(String client) {
    return client.startsWith(KUBEHOP) ? client.substring(KUBEHOP.length()) : null;
  }

  protected CliClient kubectl(String client) {
    String transport = kubehopTransport(client);
    if (transport != null) {
      return cluster.kubehopCli(transport);
    }
    Kubectl kubectl = cluster.kubectl(client);
    extraEnv().forEach(kubectl::env);
    return kubectl;
  }

  /**
   * A pseudo-terminal running {@code kubectl ARGS…} of {@code minor}, {@code rows} × {@code
   * columns}.
   */
  private PtySession kubectlPty(String minor, int rows, int columns, String... args) {
    CliClient kubectl = kubectl(minor);
    return PtySession.start(kubectl.command(args), kubectl.environment(), rows, columns);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void echoPrintsExactlyHello(String minor) {
    ProcessResult result = kubectl(minor).run("exec", "demo", "--", "echo", "hello");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).isEqualTo("hello\n");
    assertThat(result.stderr()).isEmpty();
  }

  /**
   * Which protocol each hop spoke, from the tiers' log lines (until the session inspector exists):
   * the apiserver logs the kubelet URL with the command, and both tiers the session id and the
   * hop's protocols.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void eachHopSpeaksTheModesProtocol(String minor) throws IOException {
    String marker = "hop-check-" + minor.replaceAll("[.:]", "") + "-" + System.nanoTime();
    ProcessResult result = kubectl(minor).run("exec", "demo", "--", "echo", marker);
    assertThat(result.stdout()).as(result.toString()).isEqualTo(marker + "\n");
    String line =
        Files.readAllLines(cluster.home().resolve("logs/apiserver.log")).stream()
            .filter(l -> l.contains("exec session ") && l.contains("command=" + marker))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no apiserver log line for " + marker + "\n" + cluster.logs()));
    assertThat(line).contains(apiserverHop(minor));
    String session =
        line.substring(line.indexOf("exec session ") + "exec session ".length()).split(" ")[0];
    String expected = "session " + session + " exec default/demo/main opened " + kubeletHop(minor);
    Await.until(
        "the kubelet's line: " + expected,
        Duration.ofSeconds(10),
        () ->
            lines(cluster.home().resolve("logs/kubelet-node-1.log"))
                .anyMatch(l -> l.contains(expected)));
  }

  private static Stream<String> lines(Path log) {
    try {
      return Files.readAllLines(log).stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void ttyEchoPrintsHelloCrLf(String minor) {
    try (PtySession pty = kubectlPty(minor, 24, 80, "exec", "-it", "demo", "--", "echo", "hello")) {
      assertThat(pty.waitFor(Duration.ofSeconds(30))).isZero();
      assertThat(pty.output()).isEqualTo("hello\r\n");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void stderrStaysSeparate(String minor) {
    ProcessResult result =
        kubectl(minor).run("exec", "demo", "--", "sh", "-c", "echo out; echo err >&2");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).isEqualTo("err\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void stdinEofReachesTheProcess(String minor) {
    ProcessResult result =
        kubectl(minor).run("a\nb\n", Duration.ofSeconds(30), "exec", "-i", "demo", "--", "cat");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).isEqualTo("a\nb\n");
  }

  Stream<Arguments> exitCodes() {
    List<Arguments> cases = new ArrayList<>();
    for (Arguments kubectl : kubectls().toList()) {
      Object minor = kubectl.get()[0];
      cases.add(Arguments.of(minor, List.of("sh", "-c", "exit 0"), 0));
      cases.add(Arguments.of(minor, List.of("sh", "-c", "exit 1"), 1));
      cases.add(Arguments.of(minor, List.of("sh", "-c", "exit 3"), 3));
      cases.add(Arguments.of(minor, List.of("no-such-command-kubehop"), 127));
      cases.add(Arguments.of(minor, List.of("sh", "-c", "kill -9 $$"), 137));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1} exits {2}")
  @MethodSource("exitCodes")
  void exitCodesAreExact(String minor, List<String> command, int expected) {
    List<String> args = new ArrayList<>(List.of("exec", "demo", "--"));
    args.addAll(command);
    ProcessResult result = kubectl(minor).run(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(expected);
    if (expected != 0) {
      assertThat(result.stderr()).contains("command terminated with exit code " + expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void ttySizeAppliesAtStartAndFollowsResizes(String minor) {
    try (PtySession pty = kubectlPty(minor, 37, 101, "exec", "-it", "demo", "--", "sh")) {
      pty.type("stty size\r");
      int at = pty.await("37 101", 0, Duration.ofSeconds(30));
      pty.resize(50, 120);
      // The resize travels kubectl → apiserver → kubelet → runtime asynchronously: ask until the
      // shell sees it.
      Await.until(
          "the new size inside the pod",
          Duration.ofSeconds(20),
          () -> {
            pty.type("stty size\r");
            return pty.output().indexOf("50 120", at) >= 0;
          });
      pty.type("exit\r");
      assertThat(pty.waitFor(Duration.ofSeconds(30))).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void containerFlagPicksTheSecondContainer(String minor) {
    ProcessResult result =
        kubectl(minor).run("exec", "two", "-c", "second", "--", "sh", "-c", "echo $WHO");
    assertThat(result.stdout()).as(result.toString()).isEqualTo("second\n");
    ProcessResult first =
        kubectl(minor).run("exec", "two", "-c", "main", "--", "sh", "-c", "echo $WHO");
    assertThat(first.stdout()).as(first.toString()).isEqualTo("main\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void attachReachesTheMainProcessWhichOutlivesTheSession(String minor) {
    String marker = "attached-" + minor.replaceAll("[.:]", "");
    try (PtySession pty = kubectlPty(minor, 24, 80, "attach", "-it", "attachme")) {
      pty.type("echo " + marker + "-$((40+2))\r");
      pty.await(marker + "-42", 0, Duration.ofSeconds(30));
    }
    Await.until(
        "attachme still Running after detach",
        Duration.ofSeconds(5),
        () ->
            pods.pod("attachme")
                .map(p -> "Running".equals(p.path("status").path("phase").asText()))
                .orElse(false));
    assertThat(pods.firstContainerStatus("attachme").path("restartCount").asInt()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubectls")
  void cpCopies64MiBBothWaysByteExact(String minor) throws Exception {
    Path dir = Files.createTempDirectory(cluster.home(), "cp-");
    Path source = dir.resolve("random.bin");
    byte[] block = new byte[1 << 20];
    Random random = new Random(42);
    try (var out = Files.newOutputStream(source)) {
      for (int i = 0; i < 64; i++) {
        random.nextBytes(block);
        out.write(block);
      }
    }
    // the pod has a root of its own: the copy is checked there with the image's sha256sum
    String inPod = "/tmp/copy-" + minor.replaceAll("[.:]", "") + ".bin";
    ProcessResult in =
        kubectl(minor).run(null, Duration.ofMinutes(3), "cp", source.toString(), "demo:" + inPod);
    assertThat(in.exitCode()).as(in.toString()).isZero();
    Path back = dir.resolve("back.bin");
    ProcessResult out =
        kubectl(minor).run(null, Duration.ofMinutes(3), "cp", "demo:" + inPod, back.toString());
    assertThat(out.exitCode()).as(out.toString()).isZero();
    ProcessResult sum = kubectl(minor).run("exec", "demo", "--", "sha256sum", inPod);
    assertThat(sum.stdout()).as(sum.toString()).isEqualTo(sha256(source) + "  " + inPod + "\n");
    ProcessResult rm = kubectl(minor).run("exec", "demo", "--", "rm", inPod);
    assertThat(rm.exitCode()).as(rm.toString()).isZero();
    assertThat(sha256(back)).isEqualTo(sha256(source));
    assertThat(Files.size(back)).isEqualTo(64L << 20);
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
