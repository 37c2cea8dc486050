package io.kubehop.runtime;

import static io.kubehop.runtime.RuntimeFixture.await;
import static io.kubehop.runtime.RuntimeFixture.containerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.cri.v1.AttachRequest;
import io.kubehop.cri.v1.ExecRequest;
import io.kubehop.cri.v1.RuntimeServiceGrpcClient;
import io.kubehop.runtime.streaming.StreamClient;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.testkit.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.ServiceMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRI side of exec/attach: validation, errors, and the one-time tokens of the streaming server.
 */
class StreamingTokensTest {

  @TempDir static Path home;
  static final ManualClock clock = new ManualClock();
  static RuntimeFixture rt;
  static String running;
  static String exited;
  static GrpcClient grpc;

  @BeforeAll
  static void start() throws Exception {
    rt = new RuntimeFixture(home, "127.20.206.0/24", clock);
    grpc = GrpcClient.client(rt.vertx);
    running =
        rt.runContainer("tokens", containerConfig("main", "busybox", List.of("sleep", "3600")));
    exited = rt.runContainer("done", containerConfig("main", "busybox", List.of("true")));
    rt.awaitExited(exited, Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() throws Exception {
    await(grpc.close());
    rt.close();
  }

  private static ExecRequest.Builder exec(String id) {
    return ExecRequest.newBuilder().setContainerId(id).addCmd("true").setStdout(true);
  }

  /** The gRPC status and message of a call, read over the raw client. */
  private static <Req, Resp> String status(ServiceMethod<Resp, Req> method, Req request)
      throws Exception {
    var response =
        await(
            grpc.request(
                    SocketAddress.domainSocketAddress(
                        home.resolve("nodes/node-t/runtime.sock").toString()),
                    method)
                .compose(call -> call.send(request))
                .compose(resp -> resp.end().transform(done -> Future.succeededFuture(resp))));
    return response.status().name() + " " + response.statusMessage();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertNotFound(String url) throws Exception {
    HttpResponse<String> response = get(url);
    assertEquals(404, response.statusCode());
    assertEquals("404 page not found\n", response.body());
    assertEquals(
        "text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
  }

  @Test
  void validationAsUpstream() throws Exception {
    assertEquals(
        "INVALID_ARGUMENT missing required container_id",
        status(RuntimeServiceGrpcClient.Exec, exec("").build()));
    assertEquals(
        "INVALID_ARGUMENT tty and stderr cannot both be true",
        status(RuntimeServiceGrpcClient.Exec, exec(running).setTty(true).setStderr(true).build()));
    assertEquals(
        "INVALID_ARGUMENT one of stdin, stdout, or stderr must be set",
        status(RuntimeServiceGrpcClient.Exec, exec(running).setStdout(false).build()));
    assertEquals(
        "INVALID_ARGUMENT one of stdin, stdout, and stderr must be set",
        status(
            RuntimeServiceGrpcClient.Attach,
            AttachRequest.newBuilder().setContainerId(running).build()));
    assertEquals(
        "INVALID_ARGUMENT tty and stderr cannot both be true",
        status(
            RuntimeServiceGrpcClient.Attach,
            AttachRequest.newBuilder()
                .setContainerId(running)
                .setTty(true)
                .setStdout(true)
                .setStderr(true)
                .build()));
  }

  @Test
  void unknownAndStoppedContainers() throws Exception {
    assertEquals(
        "NOT_FOUND an error occurred when try to find container \"nope\": not found",
        status(RuntimeServiceGrpcClient.Exec, exec("nope").build()));
    assertEquals(
        "FAILED_PRECONDITION container not running (" + exited + ")",
        status(RuntimeServiceGrpcClient.Exec, exec(exited).build()));
    assertEquals(
        "FAILED_PRECONDITION container not running (" + exited + ")",
        status(
            RuntimeServiceGrpcClient.Attach,
            AttachRequest.newBuilder().setContainerId(exited).setStdout(true).build()));
  }

  @Test
  void tokensAreSingleUse() throws Exception {
    String url = await(rt.cri.exec(exec(running).build())).getUrl();
    try (StreamClient client = new StreamClient(rt.vertx)) {
      assertEquals(
          0, client.run(url, new StreamOptions(false, true, false, false), null).exitCode());
    }
    assertNotFound(url);
  }

  @Test
  void aTokenServesOnlyItsKind() throws Exception {
    String url = await(rt.cri.exec(exec(running).build())).getUrl();
    assertNotFound(url.replace("/exec/", "/attach/"));
    assertNotFound(url); // consumed by the wrong-kind attempt, as upstream's cache does
    assertNotFound(rt.server.streamingUrl() + "/exec/");
    assertNotFound(rt.server.streamingUrl() + "/portforward/abcdefgh");
  }

  @Test
  void tokensExpireAfterAMinute() throws Exception {
    String url = await(rt.cri.exec(exec(running).build())).getUrl();
    clock.advance(Duration.ofSeconds(61));
    assertNotFound(url);
  }

  @Test
  void theThousandAndFirstInFlightRequestIsRefused() throws Exception {
    clock.advance(Duration.ofMinutes(2)); // nothing left over from other tests
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      calls.add(rt.cri.exec(exec(running).build()));
    }
    await(Future.all(calls));
    assertEquals(
        "RESOURCE_EXHAUSTED maximum number of in-flight requests exceeded",
        status(RuntimeServiceGrpcClient.Exec, exec(running).build()));
    clock.advance(Duration.ofMinutes(1));
    assertTrue(
        await(rt.cri.exec(exec(running).build())).getUrl().contains("/exec/"),
        "room again after expiry");
    clock.advance(Duration.ofMinutes(2)); // and nothing left for the other tests
  }

  @Test
  void aPlainGetConsumesTheTokenAndIsRefusedByTheHandshake() throws Exception {
    String url =
        await(
                rt.cri.attach(
                    AttachRequest.newBuilder().setContainerId(running).setStdout(true).build()))
            .getUrl();
    assertTrue(url.startsWith(rt.server.streamingUrl() + "/attach/"), url);
    HttpResponse<String> response = get(url);
    assertEquals(400, response.statusCode());
    assertNotFound(url);
  }
}
