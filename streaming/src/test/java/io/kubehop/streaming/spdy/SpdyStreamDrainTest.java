package io.kubehop.streaming.spdy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.spdy.frame.SpdyFrame;
import io.kubehop.streaming.spdy.frame.SpdyFrameEncoder;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write side's drain handler, set by a pipe on another context. The transport is the session's;
 * when it drains, the session tells every stream. A handler assigned later, on the session's
 * context, missed a drain that came in between, and the pipe stalled for good (the race {@code
 * ChannelStream} had fixed and {@code SpdyStream} had not).
 */
class SpdyStreamDrainTest {

  private Vertx vertx;
  private Context context;
  private final ScriptedTransport transport = new ScriptedTransport();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A server stream, opened by a SYN_STREAM the scripted peer sends. */
  private Stream acceptStream() throws Exception {
    CompletableFuture<Stream> accepted = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          SpdySession session = SpdySession.start(vertx, transport, SpdySession.Role.SERVER);
          session.newStreamHandler(accepted::complete);
          SpdyFrame open = SpdyFrame.SynStream.of(1, HeaderBlock.of("streamtype", "stdout"));
          transport.receive(new SpdyFrameEncoder().encode(open));
        });
    return accepted.get(10, TimeUnit.SECONDS);
  }

  @Test
  void drainHandlerSetOffContextRightAfterAFullQueueSeesTheNextDrain() throws Exception {
    Stream stream = acceptStream();
    CountDownLatch pipeSawFullQueue = new CountDownLatch(1);
    transport.fill();
    // The session's event loop is busy with this task while the pipe reacts; then the transport
    // drains, before
    // anything the pipe's calls queued behind it.
    context.runOnContext(
        v -> {
          try {
            assertTrue(pipeSawFullQueue.await(10, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          transport.drain();
        });
    CompletableFuture<Void> drained = new CompletableFuture<>();
    assertTrue(stream.writeQueueFull());
    stream.drainHandler(v -> drained.complete(null));
    pipeSawFullQueue.countDown();
    drained.get(5, TimeUnit.SECONDS);
  }
}
