package io.kubehop.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.kubelet.fake.FakeRuntime;
import io.kubehop.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogsTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path home;

  private KubeletHarness h;
  private FakeRuntime.Ctr container;
  private String now;

  @BeforeEach
  void start() throws Exception {
    h = new KubeletHarness(home);
    h.startKubelet();
    h.api.createPod(
        PodLifecycleTest.pod("logs", "Always", "{\"name\":\"main\",\"image\":\"busybox\"}"));
    Await.until(
        "pod Running",
        WAIT,
        () -> "Running".equals(h.api.pod("default", "logs").at("/status/phase").asText()));
    container = h.runtime.containers().get(0);
    now = Instant.now().toString();
    write(
        Path.of(container.logPath),
        """
        2026-01-01T00:00:01.000000001Z stdout F line one
        2026-01-01T00:00:02.5Z stderr F line two
        2026-01-01T00:00:03Z stdout P part-a\s
        2026-01-01T00:00:03.1Z stdout F part-b
        %s stdout F last
        """
            .formatted(now));
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
  }

  private static void write(Path file, String content) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(h.kubeletUrl() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void assertLogs(String query, String expected) throws Exception {
    HttpResponse<String> r = get("/containerLogs/default/logs/main" + query);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(expected, r.body(), query);
  }

  private static String fixed(String instant) {
    Instant i = Instant.parse(instant);
    return String.format("%s.%09dZ", i.toString().substring(0, 19), i.getNano());
  }

  @Test
  void writesOnlyTheContentJoiningPartialLines() throws Exception {
    assertLogs("", "line one\nline two\npart-a part-b\nlast\n");
  }

  @Test
  void timestampsPrefixEachLineWithFixedNanoseconds() throws Exception {
    assertLogs(
        "?timestamps=true",
        "2026-01-01T00:00:01.000000001Z line one\n2026-01-01T00:00:02.500000000Z line two\n"
            + "2026-01-01T00:00:03.000000000Z part-a part-b\n"
            + fixed(now)
            + " last\n");
  }

  @Test
  void tailLinesCountsFileLines() throws Exception {
    assertLogs("?tailLines=1", "last\n");
    assertLogs("?tailLines=3", "part-a part-b\nlast\n");
    assertLogs("?tailLines=0", "");
    assertLogs("?tailLines=100", "line one\nline two\npart-a part-b\nlast\n");
  }

  @Test
  void sinceTimeAndSinceSecondsSkipOlderLines() throws Exception {
    assertLogs("?sinceTime=2026-01-01T00:00:03Z", "part-a part-b\nlast\n");
    assertLogs("?sinceSeconds=3600", "last\n");
  }

  @Test
  void limitBytesCutsExactly() throws Exception {
    assertLogs("?limitBytes=12", "line one\nlin");
    assertLogs("?limitBytes=12&timestamps=true", "2026-01-01T0");
  }

  @Test
  void streamSelectsStdoutOrStderr() throws Exception {
    assertLogs("?stream=Stderr", "line two\n");
  }

  @Test
  void previousReadsTheAttemptBefore() throws Exception {
    HttpResponse<String> none = get("/containerLogs/default/logs/main?previous=true");
    assertEquals(400, none.statusCode());
    assertEquals("previous terminated container \"main\" in pod \"logs\" not found", none.body());

    h.runtime.exit(container.id, 1);
    Await.until(
        "restarted",
        WAIT,
        () ->
            h.api.pod("default", "logs").at("/status/containerStatuses/0/restartCount").asInt() == 1
                && "Running".equals(h.api.pod("default", "logs").at("/status/phase").asText())
                && !h.api
                    .pod("default", "logs")
                    .at("/status/containerStatuses/0/state/running")
                    .isMissingNode());
    FakeRuntime.Ctr second =
        h.runtime.containers().stream().filter(c -> !c.id.equals(container.id)).findFirst().get();
    assertTrue(second.logPath.endsWith("/main/1.log"), second.logPath);
    write(Path.of(second.logPath), "2026-01-01T00:01:00Z stdout F second attempt\n");
    assertLogs("?previous=true", "line one\nline two\npart-a part-b\nlast\n");
    assertLogs("", "second attempt\n");
  }

  @Test
  void largeFilesStreamExactlyAcrossReadChunks() throws Exception {
    Path file = Path.of(container.logPath);
    Files.delete(file);
    StringBuilder raw = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 60_000; i++) {
      String content = "line " + i + " " + "x".repeat(i % 97);
      if (i % 1000 == 7) {
        raw.append("2026-01-01T00:00:00Z stdout P ").append(content).append('\n');
        raw.append("2026-01-01T00:00:00Z stdout F -tail\n");
        expected.append(content).append("-tail\n");
      } else {
        raw.append("2026-01-01T00:00:00Z stdout F ").append(content).append('\n');
        expected.append(content).append('\n');
      }
    }
    write(file, raw.toString());
    assertTrue(Files.size(file) > 4 * 64 * 1024, "several read chunks");
    assertLogs("", expected.toString());
    assertLogs(
        "?tailLines=2",
        "line 59998 " + "x".repeat(59998 % 97) + "\nline 59999 " + "x".repeat(59999 % 97) + "\n");
    assertLogs("?limitBytes=100000", expected.substring(0, 100000));
  }

  @Test
  void errorsUseUpstreamTexts() throws Exception {
    HttpResponse<String> r = get("/containerLogs/default/nope/main");
    assertEquals(404, r.statusCode());
    assertEquals("pod \"nope\" does not exist", r.body());
    r = get("/containerLogs/default/logs/other");
    assertEquals(404, r.statusCode());
    assertEquals("container \"other\" not found in pod \"logs\"", r.body());
    r = get("/containerLogs/default/logs/main?tailLines=-1");
    assertEquals(422, r.statusCode());
    assertEquals("{\"message\": \"Invalid request.\"}", r.body());
    r = get("/containerLogs/default/logs/main?tailLines=x");
    assertEquals(400, r.statusCode());
    assertEquals("{\"message\": \"Unable to decode query.\"}", r.body());
    r = get("/containerLogs/default/logs/main?sinceSeconds=5&sinceTime=2026-01-01T00:00:03Z");
    assertEquals(422, r.statusCode());
    r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(h.kubeletUrl() + "/containerLogs/default/logs/main"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, r.statusCode());
    assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
    r = get("/nothing/here");
    assertEquals(404, r.statusCode());
    assertEquals("404 page not found\n", r.body());
  }

  @Test
  void followStreamsNewLinesAndEndsWhenTheContainerExits() throws Exception {
    HttpResponse<InputStream> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        h.kubeletUrl()
                            + "/containerLogs/default/logs/main?follow=true&tailLines=1"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              try (InputStream in = r.body()) {
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) >= 0) {
                  synchronized (received) {
                    received.write(buf, 0, n);
                  }
                }
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    Await.until("the tail line", WAIT, () -> text(received).equals("last\n"));
    write(Path.of(container.logPath), "2026-01-01T00:00:05Z stdout F more\n");
    long written = System.nanoTime();
    Await.until("the new line", WAIT, () -> text(received).equals("last\nmore\n"));
    assertTrue(System.nanoTime() - written < 1_000_000_000L, "a followed line arrives quickly");
    write(Path.of(container.logPath), "2026-01-01T00:00:06Z stdout F bye\n");
    h.runtime.exit(container.id, 0);
    reader.get(10, TimeUnit.SECONDS);
    assertEquals("last\nmore\nbye\n", text(received));
  }

  @Test
  void followWaitsForALogFileThatDoesNotExistYet() throws Exception {
    Path file = Path.of(container.logPath);
    Files.delete(file);
    CompletableFuture<HttpResponse<String>> response =
        HTTP.sendAsync(
            HttpRequest.newBuilder(
                    URI.create(h.kubeletUrl() + "/containerLogs/default/logs/main?follow=true"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Await.until(
        "the kubelet polling for the file",
        WAIT,
        () -> h.runtime.calls("ContainerStatus").size() > 3);
    assertTrue(Files.notExists(file), "the kubelet never creates the log file");
    write(file, "2026-01-01T00:00:05Z stdout F late\n");
    h.runtime.exit(container.id, 0);
    HttpResponse<String> r = response.get(10, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode());
    assertEquals("late\n", r.body());
  }

  private static String text(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
