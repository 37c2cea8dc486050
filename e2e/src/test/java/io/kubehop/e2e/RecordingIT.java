package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.e2e.support.PtySession;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Commands;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/kubehop up --record} on a secure cluster: the apiserver records a terminal exec
 * session as an asciicast v2 file, in both of its modes (kubectl 1.29's SPDY, which it splices;
 * kubectl 1.33's WebSocket, which it translates). The file's header carries the size, the command,
 * the pod and the authenticated user; a resize in the middle is an {@code r} event, the exit code 2
 * an {@code x} event. Debian's asciinema is the oracle: its {@code cat} and {@code play} print
 * exactly what the terminal showed, and so does {@code kubehop replay}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordingIT {

  /** Prints its size, then again on every empty line until it reads {@code done}. */
  private static final String SCRIPT =
      "stty size; while read l; do [ \"$l\" = done ] && break; stty size; done; echo hi; exit 2";

  private static final ObjectMapper JSON = new ObjectMapper();

  private KubehopCluster cluster;

  @BeforeAll
  void up() {
    Tools.onPath("asciinema");
    Tools.onPath("script");
    cluster = KubehopCluster.upSecure("--record");
    Pods pods = new Pods(cluster);
    pods.runBusybox("demo", "sleep", "3600");
    pods.awaitRunning("demo");
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.29", "1.33"})
  void aTerminalSessionIsRecordedAndPlaysAsTheTerminalShowedIt(String minor) throws Exception {
    Path dir = cluster.home().resolve("recordings");
    Set<Path> before = casts(dir);
    Kubectl kubectl = cluster.kubectl(minor);
    String shown;
    try (PtySession pty =
        PtySession.start(
            kubectl.command("exec", "-it", "demo", "--", "sh", "-c", SCRIPT),
            kubectl.environment(),
            37,
            101)) {
      int at = pty.await("37 101", 0, Duration.ofSeconds(30));
      pty.resize(50, 120);
      // The resize travels kubectl → apiserver → kubelet → runtime: ask until the shell sees it.
      Await.until(
          "the new size inside the pod",
          Duration.ofSeconds(20),
          () -> {
            pty.type("\r");
            return pty.output().indexOf("50 120", at) >= 0;
          });
      pty.type("done\r");
      assertThat(pty.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
      shown = pty.output();
    }

    Path file =
        Await.value(
            "a new recording with its exit code",
            Duration.ofSeconds(10),
            () ->
                casts(dir).stream()
                    .filter(f -> !before.contains(f))
                    .filter(f -> lines(f).stream().anyMatch(l -> l.contains(",\"x\",")))
                    .findFirst()
                    .orElse(null));
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    List<String> lines = lines(file);
    JsonNode header = JSON.readTree(lines.get(0));
    assertThat(header.path("version").asInt()).isEqualTo(2);
    assertThat(header.path("width").asInt()).isEqualTo(101);
    assertThat(header.path("height").asInt()).isEqualTo(37);
    assertThat(header.path("command").asText()).isEqualTo("sh -c '" + SCRIPT + "'");
    assertThat(header.path("pod").asText()).isEqualTo("default/demo");
    assertThat(header.path("container").asText()).isEqualTo("demo");
    assertThat(header.path("user").asText()).isEqualTo("kubehop-admin");
    assertThat(file.getFileName().toString()).isEqualTo(header.path("session").asText() + ".cast");

    List<JsonNode> events = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      events.add(JSON.readTree(line));
    }
    assertThat(events).allMatch(e -> e.isArray() && e.size() == 3 && e.get(0).isNumber());
    assertThat(codes(events, "r")).containsExactly("120x50");
    assertThat(codes(events, "x")).containsExactly("2");
    assertThat(String.join("", codes(events, "i"))).endsWith("done\r");
    String output = String.join("", codes(events, "o"));
    assertThat(output).contains("37 101\r\n", "50 120\r\n", "hi\r\n");
    // What the terminal showed: the session's output, then kubectl's own line about the exit.
    assertThat(shown).startsWith(output);
    assertThat(shown.substring(output.length()).trim())
        .isEqualTo("command terminated with exit code 2");

    assertThat(asciinemaCat(file)).isEqualTo(output);
    ProcessResult play =
        Commands.run(
            List.of("asciinema", "play", "-i", "0.001", file.toString()),
            Map.of(),
            new byte[0],
            Duration.ofSeconds(30));
    assertThat(play.exitCode()).as("%s", play).isZero();
    assertThat(play.stdout()).isEqualTo(output);
    ProcessResult replay =
        cluster.kubehop(
            new byte[0],
            Duration.ofSeconds(30),
            "replay",
            "--speed",
            "100",
            "--max-wait",
            "0.01",
            file.toString());
    assertThat(replay.exitCode()).as("%s", replay).isZero();
    assertThat(replay.stdout()).isEqualTo(output);
  }

  /**
   * {@code asciinema cat} reads keys from /dev/tty: it runs under script(1), its output to a file.
   */
  private String asciinemaCat(Path file) throws IOException {
    Path out = Files.createTempFile(cluster.home(), "cat", ".out");
    ProcessResult cat =
        Commands.run(
            List.of("script", "-qec", "asciinema cat '" + file + "' > '" + out + "'", "/dev/null"),
            Map.of(),
            new byte[0],
            Duration.ofSeconds(30));
    assertThat(cat.exitCode()).as("%s", cat).isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static List<String> codes(List<JsonNode> events, String code) {
    return events.stream()
        .filter(e -> e.get(1).asText().equals(code))
        .map(e -> e.get(2).asText())
        .toList();
  }

  private static Set<Path> casts(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".cast")).collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
