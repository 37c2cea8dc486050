package io.kubehop.streaming.spdy;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.httpstream.StreamResetException;
import io.kubehop.streaming.spdy.frame.GoAwayStatus;
import io.kubehop.streaming.spdy.frame.RstStatus;
import io.kubehop.streaming.spdy.frame.SpdyFrame;
import io.kubehop.streaming.spdy.frame.SpdyFrameDecoder;
import io.kubehop.streaming.spdy.frame.SpdyFrameEncoder;
import io.kubehop.streaming.spdy.frame.SpdyProtocolException;
import io.kubehop.streaming.transport.DuplexTransport;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A server session seen from a raw socket peer: the exact frames it sends, and when. */
class SpdySessionWireTest {

  private Vertx vertx;
  private Socket socket;
  private OutputStream out;
  private final SpdyFrameEncoder encoder = new SpdyFrameEncoder();
  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private final Promise<SpdySession> session = Promise.promise();
  private final BlockingQueue<Stream> accepted = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                s -> {
                  SpdySession spdy =
                      SpdySession.start(vertx, DuplexTransport.of(s), SpdySession.Role.SERVER);
                  spdy.newStreamHandler(
                      stream -> {
                        if (!"stdin".equals(stream.headers().get("streamtype"))) {
                          stream.handler(
                              b -> {}); // stdin stays unread (queued) until the test reads it
                        }
                        accepted.add(stream);
                      });
                  session.complete(spdy);
                });
    int port = await(server.listen(0, "127.0.0.1")).actualPort();
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    Thread reader = new Thread(this::readLoop, "wire-reader");
    reader.setDaemon(true);
    reader.start();
  }

  @AfterEach
  void stop() throws Exception {
    socket.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void readLoop() {
    SpdyFrameDecoder decoder =
        new SpdyFrameDecoder(
            new SpdyFrameDecoder.Listener() {
              @Override
              public void onFrame(SpdyFrame frame) {
                received.add(frame);
              }

              @Override
              public void onFrameError(SpdyProtocolException error) {
                received.add(error);
              }
            });
    try {
      InputStream in = socket.getInputStream();
      byte[] chunk = new byte[8192];
      int n;
      while ((n = in.read(chunk)) > 0) {
        decoder.decode(Buffer.buffer().appendBytes(chunk, 0, n));
      }
      received.add("EOF");
    } catch (Exception e) {
      received.add("EOF " + e);
    }
  }

  private void send(SpdyFrame frame) throws Exception {
    out.write(encoder.encode(frame).getBytes());
    out.flush();
  }

  private Object next() throws InterruptedException {
    Object o = received.poll(10, TimeUnit.SECONDS);
    return o == null ? "nothing within 10 s" : o;
  }

  /**
   * Opens streams 1 ({@code error}) and 3 ({@code stdout}) as kubectl does; each is answered with
   * an empty reply.
   */
  private List<Stream> openErrorAndStdout() throws Exception {
    send(SpdyFrame.SynStream.of(1, HeaderBlock.of("streamtype", "error")));
    send(SpdyFrame.SynStream.of(3, HeaderBlock.of("streamtype", "stdout")));
    assertEquals(new SpdyFrame.SynReply(1, 0, HeaderBlock.EMPTY), next());
    assertEquals(new SpdyFrame.SynReply(3, 0, HeaderBlock.EMPTY), next());
    return List.of(accepted.poll(10, TimeUnit.SECONDS), accepted.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void repliesEmptyBeforeDataAndClosesWithResetThenGoAwayThenEof() throws Exception {
    List<Stream> streams = openErrorAndStdout();
    Stream error = streams.get(0);
    Stream stdout = streams.get(1);
    await(stdout.write(Buffer.buffer("hi")));
    await(stdout.end());
    assertEquals(new SpdyFrame.Data(3, false, Buffer.buffer("hi")), next());
    assertEquals(SpdyFrame.Data.finOf(3), next());
    assertEquals(1, error.id());
    await(session.future()).close();
    assertEquals(
        new SpdyFrame.RstStream(1, RstStatus.CANCEL),
        next()); // stream 3 is finished locally: no RST
    assertEquals(new SpdyFrame.GoAway(3, GoAwayStatus.OK), next());
    // then it waits for the client to close, still reading: a FIN now would make spdystream drop
    // the frames it
    // still has queued, and unread input at close would turn the FIN into an RST
    send(new SpdyFrame.Ping(1));
    assertEquals(
        null, received.poll(500, TimeUnit.MILLISECONDS), "nothing after GOAWAY, not even EOF");
    assertTrue(!await(session.future()).closeFuture().isComplete(), "open until the client closes");
    socket.shutdownOutput();
    assertEquals("EOF", next());
    await(await(session.future()).closeFuture());
  }

  @Test
  void aLingeringServerClosesOnTheClientsGoAway() throws Exception {
    send(SpdyFrame.SynStream.of(1, HeaderBlock.of("streamtype", "error")));
    assertEquals(new SpdyFrame.SynReply(1, 0, HeaderBlock.EMPTY), next());
    await(session.future()).close();
    assertEquals(new SpdyFrame.RstStream(1, RstStatus.CANCEL), next());
    assertEquals(new SpdyFrame.GoAway(1, GoAwayStatus.OK), next());
    send(
        new SpdyFrame.RstStream(
            1, RstStatus.CANCEL)); // what kubectl sends when it is done, then GOAWAY
    send(new SpdyFrame.GoAway(0, GoAwayStatus.OK));
    assertEquals(
        "EOF", next()); // the client need not close first: its GOAWAY says it read what it wanted
    await(await(session.future()).closeFuture());
  }

  /** A SYN_STREAM from the client with an even id (the server's parity): RST_STREAM only. */
  @Test
  void aStreamIdOfTheServersParityIsResetAndTheSessionGoesOn() throws Exception {
    send(SpdyFrame.SynStream.of(2, HeaderBlock.of("streamtype", "error")));
    assertEquals(new SpdyFrame.RstStream(2, RstStatus.PROTOCOL_ERROR), next());
    send(new SpdyFrame.Ping(1));
    assertEquals(new SpdyFrame.Ping(1), next());
    openErrorAndStdout();
  }

  /**
   * A session the client never opened a stream on (an upgrade that went silent until the stream
   * creation timeout) has no output tail to protect: GOAWAY(OK), then the end at once, not after
   * {@link SpdySession#LINGER}.
   */
  @Test
  void aSessionWithoutStreamsClosesWithoutLingering() throws Exception {
    await(session.future()).close();
    assertEquals(new SpdyFrame.GoAway(0, GoAwayStatus.OK), next());
    assertEquals("EOF", next());
    await(await(session.future()).closeFuture());
  }

  /**
   * A status SPDY/3.1 does not define resets that stream only; the session and its other streams go
   * on.
   */
  @Test
  void unknownRstStreamStatusResetsOnlyThatStream() throws Exception {
    List<Stream> streams = openErrorAndStdout();
    Stream error = streams.get(0);
    Stream stdout = streams.get(1);
    out.write(
        Buffer.buffer().appendInt(0x80030003).appendInt(8).appendInt(1).appendInt(99).getBytes());
    out.flush();
    await(error.closeFuture());
    Throwable refused =
        error
            .write(Buffer.buffer("late"))
            .toCompletionStage()
            .toCompletableFuture()
            .handle((v, e) -> e)
            .get(10, TimeUnit.SECONDS);
    assertTrue(refused instanceof StreamResetException, String.valueOf(refused));
    await(stdout.write(Buffer.buffer("hi")));
    assertEquals(
        new SpdyFrame.Data(3, false, Buffer.buffer("hi")),
        next(),
        "no GOAWAY: the session goes on");
    assertEquals(List.of(3), await(await(session.future()).openStreamIds()));
  }

  @Test
  void goAwayWithAnUnknownStatusIsAGoAway() throws Exception {
    send(new SpdyFrame.GoAway(0, GoAwayStatus.valueOf(7)));
    assertEquals("EOF", next(), "no streams open: the server closes, as on GOAWAY OK");
    await(await(session.future()).closeFuture());
  }

  @Test
  void echoesClientPingsAndIgnoresFlowControlFrames() throws Exception {
    send(new SpdyFrame.WindowUpdate(0, 1000));
    send(new SpdyFrame.Settings(0, List.of(new SpdyFrame.Setting(0, 7, 1))));
    send(new SpdyFrame.Ping(1));
    send(new SpdyFrame.Ping(3));
    assertEquals(new SpdyFrame.Ping(1), next());
    assertEquals(new SpdyFrame.Ping(3), next());
  }

  @Test
  void lowerStreamIdThanExpectedIsRefusedWithProtocolError() throws Exception {
    send(SpdyFrame.SynStream.of(5, HeaderBlock.of("streamtype", "a")));
    assertEquals(new SpdyFrame.SynReply(5, 0, HeaderBlock.EMPTY), next());
    send(SpdyFrame.SynStream.of(3, HeaderBlock.of("streamtype", "b")));
    assertEquals(new SpdyFrame.RstStream(3, RstStatus.PROTOCOL_ERROR), next());
  }

  @Test
  void frameErrorAnswersGoAwayProtocolErrorAndCloses() throws Exception {
    out.write(
        Buffer.buffer()
            .appendInt(0)
            .appendInt(1)
            .appendByte((byte) 'x')
            .getBytes()); // DATA on stream 0
    out.flush();
    assertEquals(new SpdyFrame.GoAway(0, GoAwayStatus.PROTOCOL_ERROR), next());
    assertEquals("EOF", next());
  }

  @Test
  void dataArrivingRightAfterSynStreamIsNotLost() throws Exception {
    Buffer both = encoder.encode(SpdyFrame.SynStream.of(1, HeaderBlock.of("streamtype", "stdin")));
    encoder.encode(new SpdyFrame.Data(1, true, Buffer.buffer("early")), both);
    out.write(both.getBytes());
    out.flush();
    Stream stdin = accepted.poll(10, TimeUnit.SECONDS);
    Promise<Buffer> all = Promise.promise();
    Buffer got = Buffer.buffer();
    stdin.handler(got::appendBuffer).endHandler(v -> all.complete(got));
    assertEquals("early", await(all.future()).toString());
    assertTrue(next() instanceof SpdyFrame.SynReply);
  }
}
