package io.kubehop.streaming.remotecommand.client;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubehop's client executor against kubehop's server: stdin EOF, both outputs, exit code. */
class SpdyExecutorTest {

  private Vertx vertx;
  private int port;
  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    HttpServer server =
        vertx.createHttpServer(
            PostUpgrades.configure(new HttpServerOptions().setHost("127.0.0.1")));
    PostUpgrades.install(server);
    // The remote "command": upper-cases stdin to stdout, says bye on stderr, exits 3.
    server.requestHandler(
        req ->
            RemoteCommandServer.exec(vertx)
                .serve(
                    req,
                    new StreamOptions(true, true, true, false),
                    streams -> {
                      Promise<Integer> exit = Promise.promise();
                      streams
                          .stdin()
                          .handler(
                              b ->
                                  streams
                                      .stdout()
                                      .write(Buffer.buffer(b.toString().toUpperCase())));
                      streams
                          .stdin()
                          .endHandler(
                              v ->
                                  streams
                                      .stderr()
                                      .write(Buffer.buffer("bye\n"))
                                      .onComplete(x -> exit.complete(3)));
                      streams.stdin().resume();
                      return exit.future();
                    }));
    port =
        server
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void execWithStdinOutputsAndExitCode() throws Exception {
    Path input = Files.writeString(dir.resolve("in"), "hello\nworld\n");
    AsyncFile stdin =
        await(vertx.fileSystem().open(input.toString(), new OpenOptions().setRead(true)));
    BufferSink stdout = new BufferSink();
    BufferSink stderr = new BufferSink();
    SpdyExecutor executor = new SpdyExecutor(vertx, vertx.createNetClient());
    Future<Void> result =
        executor.stream(
            new SpdyExecutor.Target(
                "127.0.0.1", port, "POST", "/exec/x", Map.of("User-Agent", "kubehop-test")),
            new StreamOptions(true, true, true, false),
            stdin,
            stdout,
            stderr);
    ExecutionException e = Assertions.assertThrows(ExecutionException.class, () -> await(result));
    ExitCodeException exit = (ExitCodeException) e.getCause();
    assertEquals(3, exit.code());
    assertEquals("command terminated with exit code 3", exit.getMessage());
    assertEquals("HELLO\nWORLD\n", await(stdout.ended()).toString());
    assertEquals("bye\n", await(stderr.ended()).toString());
  }
}
