package io.kubehop.streaming.remotecommand.server;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.remotecommand.TerminalSize;
import io.kubehop.streaming.spdy.SpdyDialer;
import io.kubehop.streaming.transport.PostUpgrades;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClient;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exec endpoint end to end with kubehop's own SPDY client, including refusals and every
 * protocol family.
 */
class RemoteCommandServerTest {

  private Vertx vertx;
  private NetClient netClient;
  private int port;
  private volatile StreamOptions options;
  private volatile Executor executor;
  private volatile Duration creationTimeout = Duration.ofSeconds(30);
  private volatile List<String> protocols = StreamProtocol.SPDY_SERVER_DEFAULT;
  private final List<TerminalSize> sizes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    netClient = vertx.createNetClient();
    HttpServer server =
        vertx.createHttpServer(
            PostUpgrades.configure(new HttpServerOptions().setHost("127.0.0.1")));
    PostUpgrades.install(server);
    server.requestHandler(
        req ->
            RemoteCommandServer.exec(vertx)
                .timeouts(creationTimeout, Duration.ofMinutes(1))
                .protocols(protocols)
                .serve(req, options, executor));
    port = await(server.listen(0)).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Executor echo(int code) {
    return new EchoExecutor(code, sizes);
  }

  @Test
  void ttyExecWithResizeOverV4() throws Exception {
    options = new StreamOptions(true, true, false, true);
    executor = echo(0);
    SpdyDialer.Upgraded up =
        await(
            SpdyDialer.dial(
                vertx,
                netClient,
                "127.0.0.1",
                port,
                "POST",
                "/exec/x",
                List.of("v5.channel.k8s.io", "v4.channel.k8s.io"),
                Map.of()));
    assertEquals("v4.channel.k8s.io", up.protocol());
    Stream error = create(up, "error");
    Stream stdin = create(up, "stdin");
    Stream stdout = create(up, "stdout");
    Stream resize = create(up, "resize");
    Future<Buffer> out = readAll(stdout);
    Future<Buffer> status = readAll(error);
    resize.write(Buffer.buffer("{\"Width\":80,\"Height\":24}\n"));
    stdin.write(Buffer.buffer("typed"));
    stdin.end();
    assertEquals("typed", await(out).toString());
    assertEquals("{\"metadata\":{},\"status\":\"Success\"}", await(status).toString());
    await(
        up.session()
            .close()); // the client closes, as kubectl does: the server waits for that after GOAWAY
    assertEquals(List.of(new TerminalSize(80, 24)), sizes);
  }

  @Test
  void v5OverSpdyBehavesLikeV4() throws Exception {
    protocols = StreamProtocol.SPDY_CLIENT_DEFAULT;
    options = new StreamOptions(true, false, true, false);
    executor = echo(4);
    SpdyDialer.Upgraded up =
        await(
            SpdyDialer.dial(
                vertx,
                netClient,
                "127.0.0.1",
                port,
                "POST",
                "/exec/x",
                List.of("v5.channel.k8s.io", "v4.channel.k8s.io"),
                Map.of()));
    assertEquals("v5.channel.k8s.io", up.protocol());
    Future<Buffer> status = readAll(create(up, "error"));
    Stream stdin = create(up, "stdin");
    readAll(create(up, "stderr"));
    stdin.end();
    assertEquals(
        "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit "
            + "code: exit status 4\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\","
            + "\"message\":\"4\"}]}}",
        await(status).toString());
  }

  @Test
  void nonZeroExitOverV2IsPlainText() throws Exception {
    options = new StreamOptions(true, true, true, false);
    executor = echo(7);
    SpdyDialer.Upgraded up =
        await(
            SpdyDialer.dial(
                vertx,
                netClient,
                "127.0.0.1",
                port,
                "POST",
                "/exec/x",
                List.of("v2.channel.k8s.io"),
                Map.of()));
    Stream error = create(up, "error");
    create(up, "bogus"); // unknown types are replied to and ignored
    Stream stdin = create(up, "stdin");
    readAll(create(up, "stdout"));
    readAll(create(up, "stderr"));
    Future<Buffer> status = readAll(error);
    stdin.end();
    assertEquals(
        "command terminated with non-zero exit code: exit status 7", await(status).toString());
  }

  @Test
  void noProtocolHeaderFallsBackToV1() throws Exception {
    options = new StreamOptions(false, true, false, false);
    executor =
        streams -> {
          streams.stdout().write(Buffer.buffer("v1"));
          return Future.succeededFuture(0);
        };
    SpdyDialer.Upgraded up =
        await(
            SpdyDialer.dial(
                vertx, netClient, "127.0.0.1", port, "POST", "/exec/x", List.of(), Map.of()));
    assertEquals("", up.protocol());
    Future<Buffer> status = readAll(create(up, "error"));
    assertEquals("v1", await(readAll(create(up, "stdout"))).toString());
    assertEquals("", await(status).toString());
  }

  @Test
  void incompleteStreamSetTimesOutAndCloses() throws Exception {
    creationTimeout = Duration.ofMillis(300);
    options = new StreamOptions(false, true, true, false);
    executor = echo(0);
    SpdyDialer.Upgraded up =
        await(
            SpdyDialer.dial(
                vertx,
                netClient,
                "127.0.0.1",
                port,
                "POST",
                "/exec/x",
                List.of("v4.channel.k8s.io"),
                Map.of()));
    Stream error = create(up, "error");
    assertEquals("", await(readAll(error)).toString());
    await(up.session().closeFuture());
  }

  @Test
  void clientDisappearingStopsTheCommand() throws Exception {
    options = new StreamOptions(false, true, true, false);
    Promise<Integer> exit = Promise.promise();
    executor =
        streams -> {
          ProcessExecutor real = new ProcessExecutor(vertx, List.of("sleep", "30"));
          return real.execute(streams).onComplete(exit);
        };
    SpdyDialer.Upgraded up =
        await(
            SpdyDialer.dial(
                vertx,
                netClient,
                "127.0.0.1",
                port,
                "POST",
                "/exec/x",
                List.of("v4.channel.k8s.io"),
                Map.of()));
    create(up, "error");
    create(up, "stdout");
    create(up, "stderr");
    await(up.session().close()); // like a killed kubectl: RST, GOAWAY, TCP close
    int code = await(exit.future()); // the process was destroyed, long before 30 s
    assertEquals(143, code, "SIGTERM");
  }

  @Test
  void noCommonProtocolIs403WithAcceptedVersions() throws Exception {
    String response =
        raw(
            "POST /exec/x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: Upgrade\r\n"
                + "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v9.channel.k8s.io\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 403 Forbidden\r\n"), response);
    for (String p :
        List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io")) {
      assertTrue(
          response.contains("\r\nX-Accepted-Stream-Protocol-Versions: " + p + "\r\n"), response);
    }
    assertTrue(response.contains("\r\nContent-Type: text/plain; charset=utf-8\r\n"), response);
    assertTrue(response.contains("\r\nX-Content-Type-Options: nosniff\r\n"), response);
    assertTrue(
        response.endsWith(
            "\r\n\r\nunable to upgrade: unable to negotiate protocol: client supports "
                + "[v9.channel.k8s.io], server accepts [v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io "
                + "channel.k8s.io]\n"),
        response);
  }

  @Test
  void missingUpgradeHeadersIs400() throws Exception {
    String response =
        raw(
            "POST /exec/x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n"
                + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
    assertTrue(
        response.endsWith(
            "\r\n\r\nunable to upgrade: missing upgrade headers in request: http.Header{"
                + "\"Connection\":[]string{\"close\"}, \"Content-Length\":[]string{\"0\"}, "
                + "\"X-Stream-Protocol-Version\":[]string{\"v4.channel.k8s.io\"}}\n"),
        response);
  }

  @Test
  void refusalReachesTheDialerAsUpgradeFailure() throws Exception {
    options = new StreamOptions(false, true, false, false);
    Throwable e =
        SpdyDialer.dial(
                vertx, netClient, "127.0.0.1", port, "POST", "/exec/x", List.of("nope"), Map.of())
            .toCompletionStage()
            .toCompletableFuture()
            .handle((ok, err) -> err.getCause() != null ? err.getCause() : err)
            .get(10, TimeUnit.SECONDS);
    assertEquals(
        "unable to upgrade connection: unable to upgrade: unable to negotiate protocol: client supports "
            + "[nope], server accepts [v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io]",
        e.getMessage());
    assertEquals(403, ((SpdyDialer.UpgradeFailedException) e).status());
  }

  private String raw(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] chunk = new byte[4096];
      int n;
      while (!complete(all.toString(StandardCharsets.ISO_8859_1))
          && (n = s.getInputStream().read(chunk)) > 0) {
        all.write(chunk, 0, n);
      }
      return all.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** A response with Content-Length is complete once its body is there. */
  private static boolean complete(String r) {
    int end = r.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    Matcher m = Pattern.compile("(?i)\r\ncontent-length: (\\d+)").matcher(r);
    return m.find() && r.length() - end - 4 >= Integer.parseInt(m.group(1));
  }

  private static Stream create(SpdyDialer.Upgraded up, String type) throws Exception {
    return await(up.session().createStream(HeaderBlock.of("streamtype", type)));
  }

  private static Future<Buffer> readAll(Stream s) {
    Promise<Buffer> p = Promise.promise();
    Buffer all = Buffer.buffer();
    s.handler(all::appendBuffer);
    s.endHandler(v -> p.tryComplete(all));
    s.exceptionHandler(e -> p.tryComplete(all));
    return p.future();
  }
}
