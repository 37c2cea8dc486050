package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import io.kubehop.testkit.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The web view in a real browser: Debian's chromium, driven by playwright-core ({@code
 * src/test/ui/ui-check.mjs}, one JSON command per line). While kubectl 1.33 holds an {@code exec -i
 * … cat}, the page draws its chain: the tiers in order and each connection with the addresses and
 * protocol that {@code kubehop trace -o json} reports; the bytes toward the client grow as cat
 * echoes input; the chain leaves the open list when kubectl closes stdin. The screenshot stays in
 * {@code target/ui/ui-live.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path UI = KubehopCluster.root().resolve("e2e/src/test/ui");
  private static final Map<String, Integer> RANK =
      Map.of("client", 0, "apiserver", 1, "kubelet", 2, "runtime", 3, "pod", 4);

  private KubehopCluster cluster;
  private Process browser;
  private BufferedReader answers;
  private OutputStream commands;
  private boolean browserClosed;

  @BeforeAll
  void up() throws IOException {
    Path node = Tools.onPath("node");
    Tools.onPath("chromium");
    Tools.require(
        UI.resolve("node_modules/playwright-core/cli.js"),
        "playwright-core (npm ci in e2e/src/test/ui)");
    cluster = KubehopCluster.up();
    Pods pods = new Pods(cluster);
    pods.runBusybox("demo", "sleep", "3600");
    pods.awaitRunning("demo");
    browser =
        new ProcessBuilder(node.toString(), "ui-check.mjs")
            .directory(UI.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    answers =
        new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
    commands = browser.getOutputStream();
  }

  @AfterAll
  void down() throws Exception {
    try {
      if (browser != null) {
        if (!browserClosed && browser.isAlive()) {
          commands.write("{\"cmd\":\"close\"}\n".getBytes(StandardCharsets.UTF_8));
          commands.flush();
        }
        browser.waitFor(10, TimeUnit.SECONDS);
        browser.destroyForcibly();
      }
    } finally {
      if (cluster != null) {
        cluster.close(); // whatever became of the browser: no cluster outlives the test
      }
    }
  }

  /** Sends one command and waits for its answer; a failed one fails the test with its error. */
  private JsonNode ask(String cmd, Object... fields) throws Exception {
    ObjectNode command = JSON.createObjectNode().put("cmd", cmd);
    for (int i = 0; i < fields.length; i += 2) {
      command.putPOJO((String) fields[i], fields[i + 1]);
    }
    commands.write((JSON.writeValueAsString(command) + "\n").getBytes(StandardCharsets.UTF_8));
    commands.flush();
    String line =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return answers.readLine();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .get(60, TimeUnit.SECONDS);
    assertThat(line).as("the browser driver's answer to %s", cmd).isNotNull();
    JsonNode answer = JSON.readTree(line);
    assertThat(answer.path("ok").asBoolean()).as("%s: %s", cmd, line).isTrue();
    return answer;
  }

  @Test
  void theChainOfAnExecAppearsGrowsAndGoes() throws Exception {
    ask("open", "url", cluster.api("/ui/").toString());
    Kubectl kubectl = cluster.kubectl("1.33");
    RunningCommand cat = kubectl.start("exec", "-i", "demo", "--", "cat");
    try {
      OutputStream stdin = cat.process().getOutputStream();
      stdin.write("hello\n".getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      cat.awaitStdout("hello\n", Duration.ofSeconds(30));
      JsonNode session =
          Await.value(
              "the session in kubehop trace",
              Duration.ofSeconds(20),
              () -> {
                for (JsonNode s : trace().path("sessions")) {
                  if (s.path("command").toString().equals("[\"cat\"]")
                      && s.path("state").asText().equals("open")
                      && s.path("process").has("pid")) {
                    return s;
                  }
                }
                return null;
              });
      String id = session.path("id").asText();

      JsonNode drawn = ask("chain", "session", id);
      assertThat(drawn.path("mode").asText()).isEqualTo("translated");
      List<String> tiers = new ArrayList<>();
      drawn.path("tiers").forEach(t -> tiers.add(t.asText()));
      assertThat(tiers).containsExactly("client", "apiserver", "kubelet", "runtime", "process");
      List<String> shown = new ArrayList<>();
      for (JsonNode e : drawn.path("edges")) {
        shown.add(edge(e.path("from"), e.path("fromAddr"), e.path("to"), e.path("toAddr"), e));
      }
      assertThat(shown).containsExactlyElementsOf(expectedEdges(session));
      assertThat(shown.get(0)).contains("websocket v5.channel.k8s.io");
      assertThat(shown.get(1)).contains("spdy/3.1 v5.channel.k8s.io");

      long before = drawn.path("edges").get(0).path("bytesDown").asLong();
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) 'x');
      stdin.write(chunk);
      stdin.flush();
      long after =
          ask("bytes", "session", id, "above", before + chunk.length).path("bytesDown").asLong();
      assertThat(after).isGreaterThan(before + chunk.length);

      Path shots = KubehopCluster.root().resolve("e2e/target/ui");
      Files.createDirectories(shots);
      ask("screenshot", "path", shots.resolve("ui-live.png").toString());
      assertThat(Files.size(shots.resolve("ui-live.png"))).isGreaterThan(10_000);

      stdin.close();
      assertThat(cat.awaitExit(Duration.ofSeconds(30))).isTrue();
      assertThat(cat.process().exitValue()).as(cat.stderr()).isZero();
      ask("gone", "session", id);
    } finally {
      cat.close();
    }
    JsonNode closed = ask("close");
    browserClosed = true;
    assertThat(closed.path("pageErrors")).as("errors in the page").isEmpty();
  }

  private JsonNode trace() {
    ProcessResult trace = cluster.kubehop("trace", "-o", "json");
    assertThat(trace.exitCode()).as("%s", trace).isZero();
    try {
      return JSON.readTree(trace.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each connection once, from the side that dialled it: what kubehop trace prints. */
  private static List<String> expectedEdges(JsonNode session) {
    List<String> edges = new ArrayList<>();
    for (JsonNode h : session.path("hops")) {
      if (h.path("peer").asText().equals("client")) {
        edges.add(edge(h.path("peer"), h.path("remote"), h.path("tier"), h.path("local"), h));
      }
    }
    for (JsonNode h : session.path("hops")) {
      Integer from = RANK.get(h.path("tier").asText());
      Integer to = RANK.get(h.path("peer").asText());
      if (from != null && to != null && to > from) {
        edges.add(edge(h.path("tier"), h.path("local"), h.path("peer"), h.path("remote"), h));
      }
    }
    return edges;
  }

  private static String edge(
      JsonNode from, JsonNode fromAddr, JsonNode to, JsonNode toAddr, JsonNode withProtocol) {
    return from.asText()
        + " "
        + fromAddr.asText()
        + " -> "
        + to.asText()
        + " "
        + toAddr.asText()
        + " "
        + withProtocol.path("protocol").asText();
  }
}
