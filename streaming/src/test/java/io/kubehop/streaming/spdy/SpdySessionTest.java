package io.kubehop.streaming.spdy;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.httpstream.StreamResetException;
import io.kubehop.streaming.httpstream.WriteClosedStreamException;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client and server sessions talking over loopback TCP. */
class SpdySessionTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void streamCarriesDataBothWaysWithHalfClose() throws Exception {
    Promise<HeaderBlock> seenHeaders = Promise.promise();
    SessionPair pair =
        SessionPair.connect(
            vertx,
            server ->
                server.newStreamHandler(
                    stream -> {
                      seenHeaders.tryComplete(stream.headers());
                      Buffer got = Buffer.buffer();
                      stream.handler(got::appendBuffer);
                      stream.endHandler(
                          v ->
                              stream
                                  .write(Buffer.buffer("echo:").appendBuffer(got))
                                  .compose(x -> stream.end()));
                    }));
    Stream stream = await(pair.client.createStream(HeaderBlock.of("streamtype", "stdin")));
    assertEquals(1, stream.id());
    Promise<Buffer> reply = Promise.promise();
    Buffer got = Buffer.buffer();
    stream.handler(got::appendBuffer).endHandler(v -> reply.complete(got));
    stream.write(Buffer.buffer("abc"));
    stream.end();
    assertEquals("echo:abc", await(reply.future()).toString());
    assertEquals(HeaderBlock.of("streamtype", "stdin"), await(seenHeaders.future()));
    await(stream.closeFuture());
    assertEquals(List.of(), await(pair.client.openStreamIds()));
    assertEquals(List.of(), await(pair.server.openStreamIds()));
    Stream second = await(pair.client.createStream(HeaderBlock.of("streamtype", "stdout")));
    assertEquals(3, second.id());
  }

  @Test
  void secondEndFailsLikeSpdystream() throws Exception {
    SessionPair pair =
        SessionPair.connect(vertx, server -> server.newStreamHandler(s -> s.handler(b -> {})));
    Stream stream = await(pair.client.createStream(HeaderBlock.of("streamtype", "stdin")));
    await(stream.end());
    ExecutionException e =
        Assertions.assertThrows(ExecutionException.class, () -> await(stream.end()));
    assertInstanceOf(
        WriteClosedStreamException.class, e.getCause()); // spdystream's ErrWriteClosedStream
    assertEquals("Write on closed stream", e.getCause().getMessage());
  }

  @Test
  void serverResetEndsTheClientStreamAndFailsWrites() throws Exception {
    SessionPair pair =
        SessionPair.connect(
            vertx,
            server -> server.newStreamHandler(stream -> stream.handler(b -> stream.reset())));
    Stream stream = await(pair.client.createStream(HeaderBlock.of("streamtype", "stdin")));
    Promise<Void> ended = Promise.promise();
    stream.handler(b -> {}).endHandler(v -> ended.complete());
    stream.write(Buffer.buffer("x"));
    await(ended.future());
    await(stream.closeFuture());
    ExecutionException e =
        Assertions.assertThrows(
            ExecutionException.class, () -> await(stream.write(Buffer.buffer("y"))));
    assertInstanceOf(StreamResetException.class, e.getCause()); // spdystream's ErrReset
    assertEquals("stream reset", e.getCause().getMessage());
  }

  @Test
  void streamRefusedBeforeItsReplyFailsCreation() throws Exception {
    SessionPair pair = SessionPair.connect(vertx, server -> server.newStreamHandler(Stream::reset));
    ExecutionException e =
        Assertions.assertThrows(
            ExecutionException.class,
            () -> await(pair.client.createStream(HeaderBlock.of("streamtype", "bogus"))));
    assertInstanceOf(StreamResetException.class, e.getCause());
    assertEquals("stream reset", e.getCause().getMessage());
  }

  @Test
  void pingsAreEchoedInBothDirections() throws Exception {
    SessionPair pair = SessionPair.connect(vertx, server -> {});
    await(pair.client.ping());
    await(pair.client.ping());
    await(pair.server.ping());
  }

  @Test
  void serverCloseEndsClientStreamsAndTheConnection() throws Exception {
    Promise<Void> accepted = Promise.promise();
    SessionPair pair =
        SessionPair.connect(
            vertx,
            server ->
                server.newStreamHandler(
                    s -> {
                      s.handler(b -> {});
                      accepted.complete();
                    }));
    Stream stream = await(pair.client.createStream(HeaderBlock.of("streamtype", "stdout")));
    Promise<Void> ended = Promise.promise();
    stream.handler(b -> {}).endHandler(v -> ended.complete());
    await(accepted.future());
    await(pair.server.close());
    await(ended.future());
    await(pair.client.closeFuture());
    assertTrue(
        pair.client.createStream(HeaderBlock.of("streamtype", "x")).failed()
            || await(pair.client.createStream(HeaderBlock.of("streamtype", "x")).otherwiseEmpty())
                == null);
  }

  @Test
  void idleTimeoutClosesTheSession() throws Exception {
    SessionPair pair =
        SessionPair.connect(vertx, server -> server.idleTimeout(Duration.ofMillis(200)));
    await(pair.server.closeFuture());
    await(pair.client.closeFuture());
  }
}
