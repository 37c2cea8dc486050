package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.testing.Canned;
import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.testkit.Kubeconfigs;
import io.kubehop.testkit.ProcessResult;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code completion bash|zsh} (picocli's script and the dynamic wrapper) and the hidden {@code
 * __complete} that lists pod, node and container names, and stays silent when it cannot.
 */
class CompletionTest {

  @TempDir static Path dir;
  static FakeApiServer server;
  static Path kubeconfig;

  @BeforeAll
  static void start() throws Exception {
    server = new FakeApiServer();
    String pods = Canned.read("describe-node-pods.json");
    server
        .on("GET", "/api/v1/namespaces/default/pods", FakeApiServer.json(200, pods))
        .on("GET", "/api/v1/namespaces/other/pods", FakeApiServer.json(200, "{\"items\":[]}"))
        .on(
            "GET",
            "/api/v1/nodes",
            FakeApiServer.json(200, "{\"items\":[{\"metadata\":{\"name\":\"node-1\"}}]}"))
        .on(
            "GET",
            "/api/v1/namespaces/default/pods/multi",
            FakeApiServer.json(200, Canned.read("describe-pod.json")));
    kubeconfig = server.writeKubeconfig(Files.createDirectories(dir.resolve("config")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void bashScriptCompletesEveryVisibleCommandAndAsksForNames() {
    ProcessResult result = Cli.run(kubeconfig, "completion", "bash");

    assertEquals(0, result.exitCode(), result.stderr());
    String script = result.stdout();
    assertTrue(script.startsWith("#!/usr/bin/env bash"), script.substring(0, 40));
    for (String command : new String[] {"get", "logs", "describe", "completion"}) {
      assertTrue(script.contains(" " + command), command);
    }
    String generated = script.substring(0, script.indexOf("# Pod and container names"));
    assertFalse(generated.contains("__complete"), "hidden from picocli's candidates");
    assertTrue(script.contains("__complete \"${COMP_WORDS[@]:1:COMP_CWORD}\""));
    assertTrue(script.endsWith("complete -F _kubehop_dynamic -o default kubehop\n"));
    assertEquals(script, Cli.run(kubeconfig, "completion", "zsh").stdout(), "via bashcompinit");
  }

  @Test
  void unsupportedShellAsKubectlSaysIt() {
    assertEquals(
        new ProcessResult(1, "", "error: Unsupported shell type \"fish\".\n"),
        Cli.run(kubeconfig, "completion", "fish"));
  }

  @Test
  void completesPodNodeAndContainerNames() {
    assertEquals(new ProcessResult(0, "demo\nmulti\n", ""), complete("logs", ""));
    assertEquals(new ProcessResult(0, "demo\nmulti\n", ""), complete("describe", "pod", "m"));
    assertEquals(new ProcessResult(0, "node-1\n", ""), complete("get", "nodes", ""));
    assertEquals(new ProcessResult(0, "init\nmulti\n", ""), complete("logs", "multi", "-c", ""));
    assertEquals(new ProcessResult(0, "init\nmulti\n", ""), complete("logs", "pod/multi", ""));
    assertEquals(new ProcessResult(0, "", ""), complete("-n", "other", "logs", ""));
    assertEquals(new ProcessResult(0, "", ""), complete("lo"), "the command itself: picocli's");
    assertEquals(new ProcessResult(0, "", ""), complete("exec", "demo", "--", ""));
  }

  @Test
  void aStoppedClusterOrNoKubeconfigCompletesNothingQuietly() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path down =
        Files.writeString(
            dir.resolve("down"), Kubeconfigs.text("http://127.0.0.1:" + closedPort, "default"));

    assertEquals(new ProcessResult(0, "", ""), Cli.run(down, "__complete", "logs", ""));
    assertEquals(new ProcessResult(0, "", ""), Cli.run(null, "__complete", "logs", ""));
  }

  private static ProcessResult complete(String... words) {
    String[] args = new String[words.length + 1];
    args[0] = "__complete";
    System.arraycopy(words, 0, args, 1, words.length);
    return Cli.run(kubeconfig, args);
  }
}
