package io.kubehop.kubelet;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.cri.v1.AttachRequest;
import io.kubehop.cri.v1.ExecRequest;
import io.kubehop.streaming.remotecommand.ExitCodeException;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * exec and attach through the kubelet in proxy mode (KEP-1558): bytes, exit codes, CRI requests,
 * upstream's errors.
 */
class ExecAttachTest {

  private static final StreamOptions OUT_ERR = new StreamOptions(false, true, true, false);

  /** HTTP/1.1 only: the JDK's default h2c offer is an upgrade request of its own. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path home;

  private StreamingHarness s;

  @BeforeEach
  void start() throws Exception {
    s = new StreamingHarness(home, false);
  }

  @AfterEach
  void stop() throws Exception {
    s.close();
  }

  private ExecRequest lastExec() {
    List<?> calls = s.h.runtime.calls("Exec");
    return (ExecRequest) s.h.runtime.calls("Exec").get(calls.size() - 1).request();
  }

  private AttachRequest lastAttach() {
    List<?> calls = s.h.runtime.calls("Attach");
    return (AttachRequest) s.h.runtime.calls("Attach").get(calls.size() - 1).request();
  }

  /** null on success, else the failure. */
  private static Throwable outcome(Future<Void> done) throws Exception {
    try {
      done.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void execRunsTheCommandThroughTheKubeletWithKubeletStyleQuery() throws Exception {
    StreamingHarness.Session echo =
        s.exec(
            "/exec/default/demo/main?command=echo&command=hello&command=world"
                + "&error=1&output=1",
            OUT_ERR,
            null);
    assertNull(outcome(echo.done()));
    assertEquals("hello world\n", await(echo.stdout().ended()).toString());
    assertEquals("", await(echo.stderr().ended()).toString());
    assertEquals(
        ExecRequest.newBuilder()
            .setContainerId(s.containerId("main"))
            .addAllCmd(List.of("echo", "hello", "world"))
            .setStdout(true)
            .setStderr(true)
            .build(),
        lastExec());

    StreamingHarness.Session exit =
        s.exec("/exec/default/demo/main?command=exit&command=3&error=1&output=1", OUT_ERR, null);
    ExitCodeException code = assertInstanceOf(ExitCodeException.class, outcome(exit.done()));
    assertEquals(3, code.code());
    assertEquals("command terminated with exit code 3", code.getMessage());

    StreamingHarness.Session stderr =
        s.exec(
            "/exec/default/demo/main?command=stderr&command=oops&error=1&output=1", OUT_ERR, null);
    assertNull(outcome(stderr.done()));
    assertEquals("oops", await(stderr.stderr().ended()).toString());
    assertEquals("", await(stderr.stdout().ended()).toString());
  }

  @Test
  void execAcceptsTheApiserverStyleQueryAndCarriesStdin() throws Exception {
    BufferSource stdin = s.stdin();
    StreamingHarness.Session cat =
        s.exec(
            "/exec/default/demo/main?command=cat&stdin=true&stdout=True&stderr=1",
            new StreamOptions(true, true, true, false),
            stdin);
    stdin.push("one\n");
    stdin.push("two\n");
    stdin.end();
    assertNull(outcome(cat.done()));
    assertEquals("one\ntwo\n", await(cat.stdout().ended()).toString());
    assertEquals(
        ExecRequest.newBuilder()
            .setContainerId(s.containerId("main"))
            .addCmd("cat")
            .setStdin(true)
            .setStdout(true)
            .setStderr(true)
            .build(),
        lastExec());
  }

  @Test
  void aLongCommandFitsInTheRequestLine() throws Exception {
    String word = "x".repeat(20_000); // upstream accepts up to 1 MiB of request line and headers
    StreamingHarness.Session echo =
        s.exec(
            "/exec/default/demo/main?command=echo&command=" + word + "&output=1",
            new StreamOptions(false, true, false, false),
            null);
    assertNull(outcome(echo.done()));
    assertEquals(word + "\n", await(echo.stdout().ended()).toString());
  }

  @Test
  void fourMebibytesRoundTripThroughTheKubelet() throws Exception {
    BufferSource stdin = s.stdin();
    StreamingHarness.Session cat =
        s.exec(
            "/exec/default/demo/main?command=cat&input=1&output=1",
            new StreamOptions(true, true, false, false),
            stdin);
    StringBuilder sent = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      String chunk =
          Character.toString('a' + i % 26).repeat(64 * 1024 - 8) + String.format("%08d", i);
      sent.append(chunk);
      stdin.push(chunk);
    }
    stdin.end();
    assertNull(outcome(cat.done()));
    String received = await(cat.stdout().ended()).toString();
    assertEquals(4 * 1024 * 1024, received.length());
    assertEquals(sent.toString(), received);
  }

  @Test
  void execWithTtyDropsStderrAndNamesTheContainerByUid() throws Exception {
    BufferSource stdin = s.stdin();
    StreamingHarness.Session tty =
        s.exec(
            "/exec/default/demo/"
                + s.podUid
                + "/main?command=cat&input=1&output=1"
                + "&error=1&tty=1",
            new StreamOptions(true, true, false, true),
            stdin);
    stdin.push("typed");
    stdin.end();
    assertNull(outcome(tty.done()));
    assertEquals("typed", await(tty.stdout().ended()).toString());
    assertEquals(
        ExecRequest.newBuilder()
            .setContainerId(s.containerId("main"))
            .addCmd("cat")
            .setTty(true)
            .setStdin(true)
            .setStdout(true)
            .build(),
        lastExec(),
        "stderr dropped silently with a tty");
  }

  /**
   * The CRI request for a query, read through a plain (non-upgrade) request: CRI is asked, then the
   * proxy refuses.
   */
  private ExecRequest criRequestFor(String query) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(s.h.kubeletUrl() + "/exec/default/demo/main?" + query))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(500, r.statusCode(), r.body());
    assertEquals(
        "Upgrade request required\n",
        r.body(),
        "the kubelet's responder answers every proxy error with 500");
    return lastExec();
  }

  @Test
  void queryFlagsOfBothStylesMapToTheCriRequest() throws Exception {
    ExecRequest base =
        ExecRequest.newBuilder().setContainerId(s.containerId("main")).addCmd("sh").build();
    assertEquals(
        base.toBuilder().setStdout(true).setTty(true).build(),
        criRequestFor("command=sh&output=1&error=1&tty=1"));
    assertEquals(
        base.toBuilder().setStdout(true).setTty(true).build(),
        criRequestFor("command=sh&stdout=t&stderr=TRUE&tty=true"));
    assertEquals(
        base.toBuilder().setStdin(true).build(),
        criRequestFor("command=sh&input=1&output=true"),
        "kubelet-style flags count only when exactly 1");
    assertEquals(
        base.toBuilder().setStdout(true).build(),
        criRequestFor("command=sh&stdin=yes&output=1"),
        "apiserver-style flags count when ParseBool says true");
    RawHttp.Response bad =
        RawHttp.exchange(
            s.h.port,
            "GET /exec/default/demo/main?command=sh&bad=%zz&output=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertEquals("Upgrade request required\n", bad.body());
    assertEquals(
        base.toBuilder().setStdout(true).build(),
        lastExec(),
        "an undecodable pair is skipped, as Go's ParseQuery skips it");
    assertEquals(
        base.toBuilder()
            .clearCmd()
            .addAllCmd(List.of("sh", "-c", "echo a+b & c"))
            .setStderr(true)
            .build(),
        criRequestFor("command=sh&command=-c&command=echo%20a%2Bb%20%26%20c&error=1"));
  }

  @Test
  void attachTakesTtyFromTheContainerSpec() throws Exception {
    BufferSource stdin = s.stdin();
    StreamingHarness.Session attach =
        s.exec(
            "/attach/default/demo/main?input=1&output=1&error=1",
            new StreamOptions(true, true, true, false),
            stdin);
    stdin.push("hi\n");
    stdin.end();
    assertNull(outcome(attach.done()));
    assertEquals("attached\nhi\n", await(attach.stdout().ended()).toString());
    assertEquals(
        AttachRequest.newBuilder()
            .setContainerId(s.containerId("main"))
            .setStdin(true)
            .setStdout(true)
            .setStderr(true)
            .build(),
        lastAttach());

    BufferSource typed = s.stdin();
    StreamingHarness.Session term =
        s.exec(
            "/attach/default/demo/term?input=1&output=1&tty=1",
            new StreamOptions(true, true, false, true),
            typed);
    typed.push("ls\r");
    typed.end();
    assertNull(outcome(term.done()));
    assertEquals("attached\nls\r", await(term.stdout().ended()).toString());
    assertEquals(
        AttachRequest.newBuilder()
            .setContainerId(s.containerId("term"))
            .setStdin(true)
            .setStdout(true)
            .setTty(true)
            .build(),
        lastAttach());
  }

  private void assertRefused(String uri, int status, String body) throws Exception {
    RawHttp.Response r = RawHttp.exchange(s.h.port, RawHttp.spdyPost(uri));
    assertEquals(status, r.status(), uri + ": " + r.body());
    assertEquals(body, r.body(), uri);
    assertEquals("text/plain; charset=utf-8", r.header("content-type"), uri);
    assertTrue(r.closed(), uri + ": a refused upgrade closes its connection");
  }

  @Test
  void refusalsUseUpstreamsCodesAndTexts() throws Exception {
    int execs = s.h.runtime.calls("Exec").size();
    assertRefused(
        "/exec/default/demo/main?command=echo",
        400,
        "you must specify at least 1 of stdin, stdout, stderr");
    assertRefused(
        "/exec/default/demo/main?command=echo&tty=1&error=1",
        400,
        "you must specify at least 1 of stdin, stdout, stderr");
    assertRefused(
        "/exec/default/demo/main?command=echo&OUTPUT=1&Stdout=true",
        400,
        "you must specify at least 1 of stdin, stdout, stderr"); // query names are case-sensitive,
    // as in Go
    assertRefused("/exec/default/nopod/main?command=echo&output=1", 404, "pod does not exist");
    assertRefused("/attach/other/demo/main?output=1", 404, "pod does not exist");
    // kubelet_pods.go: a container that is not running in the pod is a plain error, which
    // WriteError makes a 500.
    assertRefused(
        "/exec/default/demo/nope?command=echo&output=1", 500, "container not found (\"nope\")");
    assertRefused(
        "/exec/default/demo/00000000-0000-0000-0000-000000000000/main?command=echo&output=1",
        404,
        "pod not found");
    assertRefused(
        "/attach/default/demo/00000000-0000-0000-0000-000000000000/main?output=1",
        404,
        "pod not found");
    assertRefused(
        "/attach/default/demo/nope?output=1", 500, "container nope not found in pod demo_default");
    assertRefused("/exec/default/demo?command=echo&output=1", 404, "404 page not found\n");
    assertEquals(execs, s.h.runtime.calls("Exec").size(), "no CRI call for a refused request");

    HttpResponse<String> put =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(s.h.kubeletUrl() + "/exec/default/demo/main?output=1"))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, put.statusCode());
    assertEquals("GET, POST", put.headers().firstValue("Allow").orElse(null));
  }

  /**
   * portForward shares exec's steps (UpgradeRoutes): the method, the pod and UID checks, CRI errors
   * as WriteError.
   */
  @Test
  void portForwardRefusesLikeExec() throws Exception {
    assertRefused("/portForward/default/nopod", 404, "pod does not exist");
    assertRefused(
        "/portForward/default/demo/00000000-0000-0000-0000-000000000000", 404, "pod not found");
    assertRefused("/portForward/default", 404, "404 page not found\n");
    assertRefused("/portForward/default/demo?port=0", 400, "port \"0\" must be > 0");

    RawHttp.Response r =
        RawHttp.exchange(s.h.port, RawHttp.spdyPost("/portForward/default/demo/" + s.podUid));
    // the fake runtime does not implement PortForward: its gRPC error is answered as WriteError
    // answers it
    assertEquals(500, r.status(), r.body());
    assertTrue(r.body().startsWith("rpc error: code = Unimplemented"), r.body());

    HttpResponse<String> put =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(s.h.kubeletUrl() + "/portForward/default/demo"))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, put.statusCode());
    assertEquals("GET, POST", put.headers().firstValue("Allow").orElse(null));
  }

  @Test
  void criErrorsMapAsStreamingWriteError() throws Exception {
    s.h.runtime.failStreams(GrpcStatus.NOT_FOUND, "container \"ctr-9\" not found");
    assertRefused(
        "/exec/default/demo/main?command=echo&output=1",
        404,
        "rpc error: code = NotFound desc = container \"ctr-9\" not found");

    s.h.runtime.failStreams(
        GrpcStatus.RESOURCE_EXHAUSTED, "maximum number of in-flight requests exceeded");
    RawHttp.Response busy =
        RawHttp.exchange(s.h.port, RawHttp.spdyPost("/attach/default/demo/main?output=1"));
    assertEquals(429, busy.status());
    assertEquals("60", busy.header("retry-after"));
    assertEquals(
        "rpc error: code = ResourceExhausted desc = maximum number of in-flight requests exceeded",
        busy.body());

    s.h.runtime.failStreams(GrpcStatus.INVALID_ARGUMENT, "tty and stderr cannot both be true");
    assertRefused(
        "/exec/default/demo/main?command=echo&output=1",
        500,
        "rpc error: code = InvalidArgument desc = tty and stderr cannot both be true");

    s.h.runtime.failStreams(null, null);
    StreamingHarness.Session ok =
        s.exec(
            "/exec/default/demo/main?command=echo&command=back&output=1",
            new StreamOptions(false, true, false, false),
            null);
    assertNull(outcome(ok.done()));
    assertEquals("back\n", await(ok.stdout().ended()).toString());
  }

  @Test
  void runtimeRefusalsReachTheClientVerbatim() throws Exception {
    // The runtime's 404 for a token it does not know (here: consumed by someone else) travels
    // through unchanged.
    s.h.runtime.streamingBaseUrl(s.streaming.url() + "/gone");
    RawHttp.Response r =
        RawHttp.exchange(
            s.h.port, RawHttp.spdyPost("/exec/default/demo/main?command=echo&output=1"));
    assertEquals(404, r.status());
    assertEquals("404 page not found\n", r.body());
    assertTrue(r.closed());
  }
}
