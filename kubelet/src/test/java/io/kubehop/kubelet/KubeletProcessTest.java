package io.kubehop.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.kubelet.fake.FakeApiServer;
import io.kubehop.kubelet.fake.FakeRuntime;
import io.kubehop.testkit.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet as an OS process: flags, the one ready line, one-line logs, exit 0 on SIGTERM. */
class KubeletProcessTest {

  private static final Pattern READY =
      Pattern.compile("kubehop kubelet ready node=node-p http://127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path home;

  @Test
  void printsTheReadyLineServesAndExitsZeroOnSigterm() throws Exception {
    Path socket = home.resolve("nodes/node-p/runtime.sock");
    Files.createDirectories(socket.getParent());
    try (FakeApiServer api = new FakeApiServer();
        FakeRuntime runtime = new FakeRuntime(socket)) {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  KubeletMain.class.getName(),
                  "--home",
                  home.toString(),
                  "--node-name",
                  "node-p",
                  "--node-ip",
                  "127.0.0.1",
                  "--port",
                  "0",
                  "--apiserver",
                  api.url(),
                  "--node-status-update-frequency",
                  "1s")
              .redirectErrorStream(true)
              .start();
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (Exception e) {
                  // the process ended
                }
              });
      reader.start();
      try {
        Await.until(
            "the ready line",
            Duration.ofSeconds(30),
            () -> lines.stream().anyMatch(l -> READY.matcher(l).matches()));
        Matcher m =
            lines.stream().map(READY::matcher).filter(Matcher::matches).findFirst().orElseThrow();
        int port = Integer.parseInt(m.group(1));
        assertEquals(
            port, api.node("node-p").at("/status/daemonEndpoints/kubeletEndpoint/Port").asInt());
        HttpResponse<String> healthz =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertEquals("ok", healthz.body());
        // The socket defaults to $HOME/nodes/<node>/runtime.sock: the node reports the fake
        // runtime's version.
        assertEquals(
            "fake://0.1",
            api.node("node-p").at("/status/nodeInfo/containerRuntimeVersion").asText());
      } finally {
        p.destroy(); // SIGTERM
      }
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "exits after SIGTERM");
      reader.join(5000);
      assertEquals(0, p.exitValue(), String.join("\n", lines));
      assertEquals(1, lines.stream().filter(l -> l.startsWith("kubehop kubelet ready")).count());
      for (String l : lines) {
        assertTrue(
            l.startsWith("kubelet ") || l.startsWith("kubehop kubelet ready "),
            "one-line log: " + l);
      }
    }
  }
}
