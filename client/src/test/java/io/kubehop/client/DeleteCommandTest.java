package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code delete pod}: the DELETE, its output, and waiting for the object to go through a watch. */
class DeleteCommandTest {

  static final String POD =
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web\",\"namespace\":"
          + "\"default\",\"uid\":\"u1\",\"resourceVersion\":\"5\",\"deletionTimestamp\":\"2026-11-26T10:00:30Z\","
          + "\"deletionGracePeriodSeconds\":30},\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx\"}]}}";
  static final String WATCH_PATH = "/api/v1/namespaces/default/pods";

  @TempDir Path dir;
  FakeApiServer server;
  Path kubeconfig;

  @BeforeEach
  void start() throws Exception {
    server = new FakeApiServer();
    server
        .on("DELETE", "/api/v1/namespaces/default/pods/web", FakeApiServer.json(200, POD))
        .on("GET", "/api/v1/namespaces/default/pods/web", FakeApiServer.json(200, POD));
    kubeconfig = server.writeKubeconfig(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void deletesThenWaitsForDeletedEvent() throws Exception {
    FakeApiServer.Responder events =
        FakeApiServer.chunks(
            "application/json",
            "{\"type\":\"MODIFIED\",\"object\":" + POD + "}\n",
            "{\"type\":\"DELETED\",\"object\":" + POD + "}\n");
    FakeApiServer.Responder list =
        FakeApiServer.json(
            200,
            "{\"kind\":\"PodList\",\"apiVersion\":\"v1\","
                + "\"metadata\":{\"resourceVersion\":\"5\"},\"items\":["
                + POD
                + "]}");
    // kubectl's informer lists before it watches; kubehop watches from the GET's resourceVersion
    // directly
    server.on(
        "GET",
        WATCH_PATH,
        exchange ->
            (exchange.getRequestURI().getQuery().contains("watch=true") ? events : list)
                .respond(exchange));

    ProcessResult result = Cli.run(kubeconfig, "delete", "pod", "web");

    assertEquals(new ProcessResult(0, "pod \"web\" deleted\n", ""), result);
    List<FakeApiServer.Request> requests = server.requests();
    assertEquals(
        List.of(
            "DELETE /api/v1/namespaces/default/pods/web",
            "GET /api/v1/namespaces/default/pods/web",
            "GET /api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dweb&resourceVersion=5&watch=true"),
        requests.stream().map(r -> r.method() + " " + r.uri()).toList());
    assertEquals("{\"propagationPolicy\":\"Background\"}\n", requests.get(0).body());
    assertEquals("application/json", requests.get(0).header("Content-Type"));

    // kubectl 1.33 sends the same DELETE body and watches the same way when the GET still finds the
    // pod
    int before = server.requests().size();
    ProcessResult kubectl =
        new Kubectl("1.33", kubeconfig, Files.createTempDirectory(dir, "cache"))
            .run("delete", "pod", "web");
    List<FakeApiServer.Request> theirs =
        server.requests().subList(before, server.requests().size());
    assertEquals(
        0,
        kubectl.exitCode(),
        kubectl + " after " + theirs.stream().map(r -> r.method() + " " + r.uri()).toList());
    assertEquals(result.stdout(), kubectl.stdout());
    assertEquals(
        requests.get(0).body(),
        theirs.stream().filter(r -> r.method().equals("DELETE")).findFirst().orElseThrow().body());
    assertTrue(
        theirs.stream()
            .anyMatch(
                r ->
                    r.uri().startsWith(WATCH_PATH + "?")
                        && r.uri().contains("fieldSelector=metadata.name%3Dweb&resourceVersion=5&")
                        && r.uri().endsWith("&watch=true")),
        "kubectl watched: " + theirs);
  }

  @Test
  void gonePodEndsWaitAtOnce() {
    server.on(
        "GET",
        "/api/v1/namespaces/default/pods/web",
        FakeApiServer.json(
            404,
            "{\"kind\":\"Status\","
                + "\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"pods \\\"web\\\" not found\","
                + "\"reason\":\"NotFound\",\"code\":404}"));

    ProcessResult result =
        Cli.run(kubeconfig, "delete", "pod", "web", "--grace-period=0", "--force");

    assertEquals(
        new ProcessResult(
            0,
            "pod \"web\" deleted\n",
            "Warning: Immediate deletion does not wait for "
                + "confirmation that the running resource has been terminated. The resource may continue to run on the "
                + "cluster indefinitely.\n"),
        result);
    assertEquals(
        "{\"gracePeriodSeconds\":0,\"propagationPolicy\":\"Background\"}\n",
        server.requests().get(0).body());
    assertEquals(2, server.requests().size());
  }

  @Test
  void nowMeansGracePeriodOneAndNoWait() {
    ProcessResult result = Cli.run(kubeconfig, "delete", "pod", "web", "--now", "--wait=false");

    assertEquals(new ProcessResult(0, "pod \"web\" deleted\n", ""), result);
    assertEquals(
        "{\"gracePeriodSeconds\":1,\"propagationPolicy\":\"Background\"}\n",
        server.requests().get(0).body());
    assertEquals(1, server.requests().size());
  }

  @Test
  void waitEndsAtTimeout() {
    server.on(
        "GET", WATCH_PATH, FakeApiServer.stream("application/json", new LinkedBlockingQueue<>()));
    long start = System.nanoTime();

    ProcessResult result = Cli.run(kubeconfig, "delete", "pod", "web", "--timeout=1s");

    assertEquals(
        new ProcessResult(
            1,
            "pod \"web\" deleted\n",
            "error: timed out waiting for the condition on " + "pods/web\n"),
        result);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis >= 1000 && millis < 10_000, "took " + millis + " ms");
  }

  @Test
  void missingPodIsAnApiError() {
    server.on(
        "DELETE",
        "/api/v1/namespaces/default/pods/nope",
        FakeApiServer.json(
            404,
            "{\"kind\":\"Status\","
                + "\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"pods \\\"nope\\\" not found\","
                + "\"reason\":\"NotFound\",\"details\":{\"name\":\"nope\",\"kind\":\"pods\"},\"code\":404}"));

    ProcessResult result = Cli.run(kubeconfig, "delete", "pod", "nope");

    assertEquals(
        new ProcessResult(1, "", "Error from server (NotFound): pods \"nope\" not found\n"),
        result);
  }
}
