package io.kubehop.streaming.remotecommand.client;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubehop.streaming.remotecommand.ExitCodeException;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.server.RemoteCommandServer;
import io.kubehop.streaming.transport.PostUpgrades;
import io.kubehop.testkit.BufferSink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubehop's WebSocket client executor against kubehop's server, and the WebSocket → SPDY fallback.
 */
class WebSocketExecutorTest {

  private static final long BIG = 16L * 1024 * 1024;
  private static final StreamOptions OPTIONS = new StreamOptions(true, true, true, false);

  private Vertx vertx;
  private WebSocketClient client;
  private int port;
  private volatile boolean refuseWebSockets;
  private final AtomicInteger spdyRequests = new AtomicInteger();
  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient();
    HttpServer server =
        vertx.createHttpServer(
            PostUpgrades.configure(new HttpServerOptions().setHost("127.0.0.1")));
    PostUpgrades.install(server);
    // The remote "command": upper-cases stdin to stdout until stdin ends (or its first chunk on
    // v4), says bye on
    // stderr, exits 3.
    server.requestHandler(
        req -> {
          boolean webSocket = "websocket".equalsIgnoreCase(req.getHeader("Upgrade"));
          if (webSocket && refuseWebSockets) {
            req.response()
                .setStatusCode(400)
                .end("{\"kind\":\"Status\",\"message\":\"no websockets here\"}");
            return;
          }
          if (!webSocket) {
            spdyRequests.incrementAndGet();
          }
          if (req.path().equals("/big")) {
            RemoteCommandServer.exec(vertx)
                .serve(
                    req,
                    new StreamOptions(false, true, false, false),
                    streams -> {
                      Promise<Integer> exit = Promise.promise();
                      long[] left = {BIG};
                      Runnable[] pump = new Runnable[1];
                      pump[0] =
                          () -> {
                            while (left[0] > 0) {
                              streams.stdout().write(Buffer.buffer(new byte[64 * 1024]));
                              left[0] -= 64 * 1024;
                              if (streams.stdout().writeQueueFull()) {
                                streams.stdout().drainHandler(v -> pump[0].run());
                                return;
                              }
                            }
                            exit.tryComplete(0);
                          };
                      pump[0].run();
                      return exit.future();
                    });
            return;
          }
          RemoteCommandServer.exec(vertx)
              .serve(
                  req,
                  OPTIONS,
                  streams -> {
                    Promise<Integer> exit = Promise.promise();
                    Runnable bye =
                        () ->
                            streams
                                .stderr()
                                .write(Buffer.buffer("bye\n"))
                                .onComplete(x -> exit.tryComplete(3));
                    streams
                        .stdin()
                        .handler(
                            b -> {
                              streams.stdout().write(Buffer.buffer(b.toString().toUpperCase()));
                              if (!streams.protocol().closeSignal()
                                  && !"SPDY/3.1".equals(req.getHeader("Upgrade"))) {
                                bye.run(); // no stdin EOF before v5 over WebSocket
                              }
                            });
                    streams.stdin().endHandler(v -> bye.run());
                    streams.stdin().resume();
                    return exit.future();
                  });
        });
    port = await(server.listen(0)).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private AsyncFile stdin(String content) throws Exception {
    Path input = Files.writeString(dir.resolve("in"), content);
    return await(vertx.fileSystem().open(input.toString(), new OpenOptions().setRead(true)));
  }

  private void assertExit3(Future<Void> run) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(run));
    ExitCodeException exit = assertInstanceOf(ExitCodeException.class, e.getCause());
    assertEquals(3, exit.code());
  }

  @Test
  void v5StdinEofOutputsAndExitCode() throws Exception {
    BufferSink out = new BufferSink();
    BufferSink err = new BufferSink();
    assertExit3(
        new WebSocketExecutor(vertx, client)
            .to("127.0.0.1", port, "/exec/x", Map.of()).stream(
                OPTIONS, stdin("hello\nworld\n"), out, err));
    assertEquals("HELLO\nWORLD\n", await(out.ended()).toString());
    assertEquals("bye\n", await(err.ended()).toString());
  }

  @Test
  void v4IsAccepted() throws Exception {
    BufferSink out = new BufferSink();
    assertExit3(
        new WebSocketExecutor(vertx, client, List.of("v4.channel.k8s.io"))
            .to("127.0.0.1", port, "/exec/x", Map.of()).stream(
                OPTIONS, stdin("v4\n"), out, new BufferSink()));
    assertEquals("V4\n", await(out.ended()).toString());
  }

  @Test
  void refusedWebSocketFallsBackToSpdy() throws Exception {
    refuseWebSockets = true;
    BufferSink out = new BufferSink();
    StreamExecutor executor =
        new FallbackExecutor(
            new WebSocketExecutor(vertx, client).to("127.0.0.1", port, "/exec/x", Map.of()),
            new SpdyExecutor(vertx, vertx.createNetClient())
                .to(new SpdyExecutor.Target("127.0.0.1", port, "POST", "/exec/x", Map.of())),
            FallbackExecutor::isUpgradeFailure);
    assertExit3(executor.stream(OPTIONS, stdin("spdy\n"), out, new BufferSink()));
    assertEquals("SPDY\n", await(out.ended()).toString());
    assertEquals(1, spdyRequests.get());
  }

  @Test
  void upgradeFailureText() throws Exception {
    refuseWebSockets = true;
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                await(
                    new WebSocketExecutor(vertx, client)
                        .to("127.0.0.1", port, "/exec/x", Map.of()).stream(
                            OPTIONS, null, null, null)));
    UpgradeFailureException failure = assertInstanceOf(UpgradeFailureException.class, e.getCause());
    assertEquals(400, failure.status());
    assertEquals(
        "unable to upgrade streaming request: 400 {\"kind\":\"Status\",\"message\":\"no websockets here\"}",
        failure.getMessage());
  }

  @Test
  void errorsAfterTheUpgradeNeverFallBack() throws Exception {
    AtomicInteger secondary = new AtomicInteger();
    StreamExecutor executor =
        new FallbackExecutor(
            new WebSocketExecutor(vertx, client).to("127.0.0.1", port, "/exec/x", Map.of()),
            (o, in, out, err) -> {
              secondary.incrementAndGet();
              return Future.succeededFuture();
            },
            FallbackExecutor::isUpgradeFailure);
    assertExit3(executor.stream(OPTIONS, stdin("x"), new BufferSink(), new BufferSink()));
    assertEquals(0, secondary.get());
  }

  /**
   * A slow local terminal pauses the WebSocket; the output's tail must still arrive after the
   * server's close.
   */
  @Test
  void slowSinkGetsEveryByte() throws Exception {
    SlowSink out = new SlowSink(vertx, 16 * 1024);
    await(
        new WebSocketExecutor(vertx, client)
            .to("127.0.0.1", port, "/big", Map.of()).stream(
                new StreamOptions(false, true, false, false), null, out, null));
    assertEquals(BIG, await(out.ended()));
  }
}
