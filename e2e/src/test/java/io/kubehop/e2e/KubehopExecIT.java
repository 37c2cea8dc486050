package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.e2e.support.PtySession;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.ProcessResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/kubehop exec} and {@code attach} in kubectl's place, through all three hops of a
 * cluster in the default mode (the apiserver translates WebSocket), once per wire form ({@code
 * --transport=spdy}, {@code --transport=websocket}): exact output bytes, stdin EOF, exit codes,
 * stderr apart, {@code -c}, attach, and a real terminal (Must show 3): its size and resizes reach
 * the remote tty, Ctrl-C interrupts a remote command without ending the session, and the local
 * terminal's settings are the same afterwards. Each case takes the transport as its only argument,
 * so the cases can move into the shared exec matrix as they are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubehopExecIT {

  static final Duration DEADLINE = Duration.ofSeconds(60);

  KubehopCluster cluster;

  @BeforeAll
  void up() throws IOException {
    cluster = KubehopCluster.up();
    applyDemoPods(cluster);
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** demo (one container), two (main, second: $WHO tells them apart), attachme (a tty sh). */
  static void applyDemoPods(KubehopCluster cluster) throws IOException {
    Path manifest = cluster.home().resolve("kubehop-exec-pods.yaml");
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
    ProcessResult apply = cluster.kubehop("apply", "-f", manifest.toString());
    assertThat(apply.exitCode()).as(apply.toString()).isZero();
    Pods pods = new Pods(cluster);
    for (String pod : List.of("demo", "two", "attachme")) {
      Await.until(
          pod + " Running",
          DEADLINE,
          () ->
              pods.pod(pod)
                  .map(p -> "Running".equals(p.path("status").path("phase").asText()))
                  .orElse(false));
    }
  }

  ProcessResult kubehop(String transport, String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add(1, "--transport=" + transport);
    return cluster.kubehop(
        stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8),
        DEADLINE,
        all.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"spdy", "websocket"})
  void echoPrintsExactlyHello(String transport) {
    assertThat(kubehop(transport, null, "exec", "demo", "--", "echo", "hello"))
        .isEqualTo(new ProcessResult(0, "hello\n", ""));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"spdy", "websocket"})
  void stderrStaysApartFromStdout(String transport) {
    assertThat(kubehop(transport, null, "exec", "demo", "--", "sh", "-c", "echo out; echo err >&2"))
        .isEqualTo(new ProcessResult(0, "out\n", "err\n"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"spdy", "websocket"})
  void stdinEofReachesTheProcess(String transport) {
    assertThat(kubehop(transport, "a\nb\n", "exec", "-i", "demo", "--", "cat"))
        .isEqualTo(new ProcessResult(0, "a\nb\n", ""));
  }

  Stream<Arguments> exitCodes() {
    List<Arguments> cases = new ArrayList<>();
    for (String transport : List.of("spdy", "websocket")) {
      cases.add(Arguments.of(transport, List.of("sh", "-c", "exit 0"), 0));
      cases.add(Arguments.of(transport, List.of("sh", "-c", "exit 1"), 1));
      cases.add(Arguments.of(transport, List.of("sh", "-c", "exit 3"), 3));
      cases.add(Arguments.of(transport, List.of("no-such-command-kubehop"), 127));
      cases.add(Arguments.of(transport, List.of("sh", "-c", "kill -9 $$"), 137));
    }
    return cases.stream();
  }

  /** The remote exit code is the CLI's, with kubectl's line for a non-zero one. */
  @ParameterizedTest(name = "{0}: {1} exits {2}")
  @MethodSource("exitCodes")
  void exitCodesAreExact(String transport, List<String> command, int expected) {
    List<String> args = new ArrayList<>(List.of("exec", "demo", "--"));
    args.addAll(command);
    ProcessResult result = kubehop(transport, null, args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(expected);
    if (expected != 0) {
      assertThat(result.stderr()).endsWith("command terminated with exit code " + expected + "\n");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"spdy", "websocket"})
  void containerFlagPicksTheContainer(String transport) {
    assertThat(
            kubehop(transport, null, "exec", "two", "-c", "second", "--", "sh", "-c", "echo $WHO"))
        .isEqualTo(new ProcessResult(0, "second\n", ""));
    assertThat(kubehop(transport, null, "exec", "two", "--", "sh", "-c", "echo $WHO"))
        .isEqualTo(
            new ProcessResult(0, "main\n", "Defaulted container \"main\" out of: main, second\n"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"spdy", "websocket"})
  void attachReachesTheMainProcessAndDetaches(String transport) {
    String marker = "attached-" + transport;
    try (PtySession pty =
        PtySession.start(
            cluster.kubehopCommand("attach", "-it", "--transport=" + transport, "attachme"),
            cluster.kubehopEnvironment(),
            24,
            80)) {
      int prompt = pty.await("If you don't see a command prompt, try pressing enter.", 0, DEADLINE);
      pty.type("echo " + marker + "-$((40+2))\r");
      pty.await(marker + "-42", prompt, DEADLINE);
    }
    Pods pods = new Pods(cluster);
    Await.until(
        "attachme still Running after detach",
        Duration.ofSeconds(5),
        () ->
            pods.pod("attachme")
                .map(p -> "Running".equals(p.path("status").path("phase").asText()))
                .orElse(false));
  }

  /**
   * Must show 3: {@code bin/kubehop exec -it demo -- sh} in a shell under a real pty. The remote
   * tty has the pty's size and follows a resize; Ctrl-C interrupts a remote {@code sleep} and the
   * session goes on; after the session the local terminal's {@code stty -a} is what it was.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"spdy", "websocket"})
  void interactiveShellUnderARealTerminal(String transport) throws IOException {
    Path dir = Files.createTempDirectory(cluster.home(), "tty-");
    try (PtySession shell = localShell(30, 100)) {
      int at = run(shell, "stty -a > " + dir.resolve("before"), 0);
      at = shell.await("local$ ", at, DEADLINE);
      shell.type(
          String.join(
                  " ", cluster.kubehopCommand("exec", "-it", "--transport=" + transport, "demo"))
              + " -- sh\r");
      at = shell.await("# ", at, DEADLINE);
      shell.type("stty size\r");
      at = shell.await("30 100", at, DEADLINE);
      shell.resize(43, 132);
      at = sttySizeUntil(shell, "43 132", at);
      shell.type("echo sleeping-$((1+1)); sleep 600; echo slept\r");
      at = shell.await("sleeping-2", at, DEADLINE);
      shell.type("\u0003");
      shell.type("echo still-$((20+1))\r");
      at = shell.await("still-21", at, DEADLINE);
      assertThat(shell.output().substring(at)).doesNotContain("slept");
      shell.type("exit 5\r");
      at = shell.await("command terminated with exit code 5", at, DEADLINE);
      shell.resize(30, 100); // the size is the test's own change; every setting must be as before
      at = run(shell, "stty -a > " + dir.resolve("after"), at);
    }
    assertThat(Files.readString(dir.resolve("after")))
        .isEqualTo(Files.readString(dir.resolve("before")));
  }

  /**
   * Asks the remote tty for its size until it is {@code expected}: the resize message and the typed
   * command travel on different streams (channels), so the first answer may still be the old size,
   * with kubectl too.
   */
  static int sttySizeUntil(PtySession shell, String expected, int from) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      shell.type("stty size\r");
      try {
        return shell.await(expected, from, Duration.ofSeconds(2));
      } catch (AssertionError notYet) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(notYet.getMessage() + "; the terminal:\n" + shell.output());
        }
      }
    }
  }

  /**
   * bash without rc files under a pty, pointed at the cluster, with a prompt that is easy to find.
   */
  PtySession localShell(int rows, int columns) {
    java.util.Map<String, String> env = new java.util.HashMap<>(cluster.kubehopEnvironment());
    env.put("PS1", "local$ ");
    return PtySession.start(List.of("bash", "--norc", "--noprofile"), env, rows, columns);
  }

  /**
   * Waits for the local shell's prompt (input typed before it could be flushed as readline sets up
   * the terminal), types {@code command} and waits until it finished.
   */
  static int run(PtySession shell, String command, int from) {
    from = shell.await("local$ ", from, DEADLINE);
    String done = "done-" + Long.toHexString(System.nanoTime());
    shell.type(command + "; echo " + done.substring(0, 5) + "\"" + done.substring(5) + "\"\r");
    return shell.await(done, from, DEADLINE);
  }
}
