package io.kubehop.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.api.json.ApiJson;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ApiServerMain as its own JVM: objects written before a {@code kill -9} are there after a restart.
 */
class KillNinePersistenceTest {

  private static final Pattern READY =
      Pattern.compile("kubehop apiserver ready http://127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path home;

  private final HttpClient http = HttpClient.newHttpClient();

  /** A started apiserver process and its port. */
  record Started(Process process, int port) {}

  private Started start() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.kubehop.apiserver.ApiServerMain",
                    "--home",
                    home.toString(),
                    "--port",
                    "0"))
            .redirectErrorStream(true)
            .start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  Matcher m = READY.matcher(line);
                  if (m.matches()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (Exception e) {
                port.completeExceptionally(e);
              }
              port.completeExceptionally(
                  new AssertionError("apiserver exited before it was ready"));
            });
    reader.setDaemon(true);
    reader.start();
    return new Started(p, port.get(30, TimeUnit.SECONDS));
  }

  private HttpResponse<String> send(int port, String method, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void podsNodesAndTheCounterSurviveKillNine() throws Exception {
    Started first = start();
    long rvAfterWrites;
    try {
      assertEquals(
          201,
          send(
                  first.port(),
                  "POST",
                  "/api/v1/nodes",
                  "{\"metadata\":{\"name\":\"node-1\"},\"status\":{\"nodeInfo\":{\"kubeletVersion\":\"v1.30.0\"}}}")
              .statusCode());
      HttpResponse<String> pod =
          send(
              first.port(),
              "POST",
              "/api/v1/namespaces/default/pods",
              "{\"metadata\":{\"name\":\"demo\"},\"spec\":{\"x-unknown\":\"kept\",\"containers\":[{\"name\":\"c\","
                  + "\"image\":\"busybox\"}]}}");
      assertEquals(201, pod.statusCode());
      rvAfterWrites =
          Long.parseLong(
              ApiJson.mapper()
                  .readTree(send(first.port(), "GET", "/api/v1/pods", null).body())
                  .path("metadata")
                  .path("resourceVersion")
                  .asText());
    } finally {
      first.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
      assertTrue(first.process().waitFor(10, TimeUnit.SECONDS));
    }
    assertEquals(137, first.process().exitValue());

    Started second = start();
    try {
      var pod =
          ApiJson.mapper()
              .readTree(
                  send(second.port(), "GET", "/api/v1/namespaces/default/pods/demo", null).body());
      assertEquals("demo", pod.path("metadata").path("name").asText());
      assertEquals("kept", pod.path("spec").path("x-unknown").asText());
      assertEquals(200, send(second.port(), "GET", "/api/v1/nodes/node-1", null).statusCode());
      HttpResponse<String> next =
          send(
              second.port(),
              "POST",
              "/api/v1/namespaces/default/pods",
              "{\"metadata\":{\"name\":\"after\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
      long rv =
          Long.parseLong(
              ApiJson.mapper()
                  .readTree(next.body())
                  .path("metadata")
                  .path("resourceVersion")
                  .asText());
      assertTrue(
          rv > rvAfterWrites,
          "the resourceVersion counter continues: " + rv + " > " + rvAfterWrites);
    } finally {
      second.process().destroy(); // SIGTERM: exits 0 after closing
      assertTrue(second.process().waitFor(15, TimeUnit.SECONDS));
    }
    assertEquals(0, second.process().exitValue());
  }
}
