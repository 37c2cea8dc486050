package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Commands;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CLI's shell completion and help against a real cluster (issue 10, Must show 6): {@code
 * bin/kubehop completion bash}, sourced in a real bash, completes command names and the name of a
 * running pod; {@code --help} of the root and of commands has kubectl's sections; {@code describe}
 * prints what kubectl 1.33 prints for the same pod.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliCompletionIT {

  private KubehopCluster cluster;
  private Path script;

  @BeforeAll
  void up() throws Exception {
    cluster = KubehopCluster.up();
    ProcessResult run =
        cluster.kubehop(
            "run", "compl-demo", "--image=busybox", "--restart=Never", "--", "sleep", "3600");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    Pods pods = new Pods(cluster);
    Await.until(
        "compl-demo Running",
        Duration.ofSeconds(60),
        () ->
            pods.pod("compl-demo")
                .map(p -> "Running".equals(p.path("status").path("phase").asText()))
                .orElse(false));
    ProcessResult completion = cluster.kubehop("completion", "bash");
    assertThat(completion.exitCode()).as(completion.toString()).isZero();
    script =
        Files.writeString(cluster.home().resolve("kubehop-completion.bash"), completion.stdout());
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Partial command names and what they complete to. */
  static Stream<Arguments> commandNames() {
    return Stream.of(
        Arguments.of("lo", List.of("logs")),
        Arguments.of("ex", List.of("exec")),
        Arguments.of("po", List.of("port-forward")),
        Arguments.of("desc", List.of("describe")),
        Arguments.of("de", List.of("delete", "describe")),
        Arguments.of("compl", List.of("completion")));
  }

  @ParameterizedTest
  @MethodSource("commandNames")
  void completesCommandNames(String typed, List<String> expected) {
    assertThat(complete("bin/kubehop", typed)).isEqualTo(expected);
  }

  @Test
  void completesTheNameOfARunningPod() {
    assertThat(complete("bin/kubehop", "logs", "compl-")).containsExactly("compl-demo");
    assertThat(complete("bin/kubehop", "describe", "pod", "compl")).containsExactly("compl-demo");
    assertThat(complete("bin/kubehop", "exec", "-it", "compl")).containsExactly("compl-demo");
    assertThat(complete("bin/kubehop", "exec", "compl-demo", "-c", ""))
        .containsExactly("compl-demo");
    assertThat(complete("bin/kubehop", "logs", "compl-demo", "-c", ""))
        .containsExactly("compl-demo");
    assertThat(complete("bin/kubehop", "get", "nodes", "")).containsExactly("node-1");
  }

  @Test
  void helpReadsLikeKubectls() {
    String root = cluster.kubehop("--help").stdout();
    assertThat(root)
        .startsWith("kubehop controls a kubehop cluster")
        .contains("\nCommands:\n  get ", "\n  logs ", "\n  describe ", "\n  completion ")
        .contains("\nUsage:\n  kubehop [flags] [options]\n")
        .endsWith(
            "\nUse \"kubehop options\" for a list of global command-line options (applies to all"
                + " commands).\n");
    for (String command :
        List.of("logs", "describe", "get", "completion", "exec", "attach", "port-forward", "cp")) {
      String help = cluster.kubehop(command, "--help").stdout();
      assertThat(help)
          .as(command)
          .matches("(?s)[^\\n].*\\n\\nExamples:\\n  # .*\\nOptions:\\n    -.*")
          .contains("\nUsage:\n  kubehop " + command + " ");
    }
  }

  @Test
  void describePodPrintsWhatKubectlPrints() {
    Kubectl kubectl = cluster.kubectl("1.33");

    // the events' ages tick: the two may straddle a second, so compare until one pair is equal
    java.util.concurrent.atomic.AtomicReference<String> last =
        new java.util.concurrent.atomic.AtomicReference<>();
    Await.until(
        () -> "kubehop describe prints what kubectl prints:\n" + last.get(),
        Duration.ofSeconds(20),
        () -> {
          ProcessResult ours = cluster.kubehop("describe", "pod", "compl-demo");
          ProcessResult theirs = kubectl.run("describe", "pod", "compl-demo");
          last.set("kubectl:\n" + theirs + "\nkubehop:\n" + ours);
          return ours.equals(theirs);
        });
    assertThat(last.get()).contains("Successfully assigned default/compl-demo to node-1");
  }

  /**
   * Sources the script in a non-interactive bash, sets COMP_WORDS, COMP_CWORD, COMP_LINE and
   * COMP_POINT as readline would for the cursor at the end of the last word, calls the function the
   * script registered, and returns COMPREPLY.
   */
  private List<String> complete(String... words) {
    Path bash = Tools.onPath("bash");
    String driver =
        """
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        COMPREPLY=()
        fn=$(complete -p kubehop | sed -E 's/.*-F ([^ ]+).*/\\1/')
        "$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
        printf '%s\\n' "${COMPREPLY[@]}"
        """;
    List<String> command =
        Stream.concat(
                Stream.of(bash.toString(), "-c", driver, "complete", script.toString()),
                Stream.of(words))
            .toList();
    ProcessResult result =
        Commands.run(
            command,
            Map.of(
                "KUBEHOP_HOME", cluster.home().toString(),
                "KUBECONFIG", cluster.kubeconfig().toString()),
            null,
            Duration.ofMinutes(1),
            KubehopCluster.root());
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return result.stdout().lines().filter(l -> !l.isEmpty()).sorted().toList();
  }
}
