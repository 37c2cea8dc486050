package io.kubehop.streaming.portforward;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.spdy.SpdyDialer;
import io.kubehop.streaming.transport.PostUpgrades;
import io.kubehop.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PortForwardServer} over SPDY with kubehop's own SPDY client, against a {@link FakePod} on
 * 127.0.0.1.
 */
class PortForwardServerSpdyTest {

  private Vertx vertx;
  private NetClient netClient;
  private FakePod pod;
  private int port;
  private volatile Duration creationTimeout = Duration.ofSeconds(30);

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    netClient = vertx.createNetClient();
    pod = new FakePod(vertx);
    HttpServer server =
        vertx.createHttpServer(
            PostUpgrades.configure(new HttpServerOptions().setHost("127.0.0.1")));
    PostUpgrades.install(server);
    server.requestHandler(
        req ->
            new PortForwardServer(vertx)
                .timeouts(creationTimeout, Duration.ofMinutes(1))
                .serve(req, "pod-x", "uid-1", pod.dialer()));
    port = await(server.listen(0)).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    pod.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private SpdyDialer.Upgraded upgrade() throws Exception {
    SpdyDialer.Upgraded up =
        await(
            SpdyDialer.dial(
                vertx,
                netClient,
                "127.0.0.1",
                port,
                "POST",
                "/portforward/x",
                List.of(PortForwardServer.PROTOCOL_V1),
                Map.of()));
    assertEquals(PortForwardServer.PROTOCOL_V1, up.protocol());
    return up;
  }

  /**
   * What client-go does per local connection: error stream (half-closed at once), then the data
   * stream.
   */
  private record Pair(
      Stream error, Future<Buffer> errorContent, Stream data, Future<Buffer> received) {}

  private Pair open(SpdyDialer.Upgraded up, int podPort, String requestId) throws Exception {
    Stream error = await(up.session().createStream(headers("error", podPort, requestId)));
    Future<Buffer> errorContent = readAll(error);
    await(error.end());
    Stream data = await(up.session().createStream(headers("data", podPort, requestId)));
    return new Pair(error, errorContent, data, readAll(data));
  }

  private static HeaderBlock headers(String type, int podPort, String requestId) {
    return requestId == null
        ? HeaderBlock.of("streamtype", type, "port", Integer.toString(podPort))
        : HeaderBlock.of(
            "streamtype", type, "port", Integer.toString(podPort), "requestid", requestId);
  }

  @Test
  void oneMebibyteRoundTripsThroughTheEchoPort() throws Exception {
    SpdyDialer.Upgraded up = upgrade();
    Pair p = open(up, FakePod.ECHO, "0");
    byte[] sent = new byte[1024 * 1024];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = (byte) (i * 31 + i / 4096);
    }
    for (int from = 0; from < sent.length; from += 16 * 1024) {
      await(p.data().write(Buffer.buffer(Arrays.copyOfRange(sent, from, from + 16 * 1024))));
    }
    await(p.data().end());
    Buffer back = await(p.received());
    assertEquals(sent.length, back.length());
    assertTrue(Arrays.equals(sent, back.getBytes()));
    assertEquals("", await(p.errorContent()).toString());
  }

  /**
   * Back-pressure pod → client: while the client does not read, the pod's blocking writer stalls
   * far below the 64 MiB it wants to send (kernel buffers plus bounded queues only); once the
   * client reads, every byte arrives.
   */
  @Test
  void aSlowClientHoldsThePodBack() throws Exception {
    SpdyDialer.Upgraded up = upgrade();
    Stream error = await(up.session().createStream(headers("error", FakePod.SOURCE, "0")));
    await(error.end());
    Stream data = await(up.session().createStream(headers("data", FakePod.SOURCE, "0")));
    data.pause();
    long[] seen = {-1};
    Await.until(
        "the pod's writer to stall",
        Duration.ofSeconds(20),
        Duration.ofMillis(200),
        () -> {
          long now = pod.sourceWritten();
          boolean stalled = now > 0 && now == seen[0];
          seen[0] = now;
          return stalled || now == FakePod.SOURCE_SIZE;
        });
    assertTrue(
        seen[0] < FakePod.SOURCE_SIZE / 2,
        "the pod wrote " + seen[0] + " bytes to a client not reading");

    long[] received = {0};
    boolean[] intact = {true};
    Promise<Void> ended = Promise.promise();
    data.handler(
        b -> {
          for (int i = 0; i < b.length(); i++) {
            intact[0] &= b.getByte(i) == FakePod.sourceByte(received[0] + i);
          }
          received[0] += b.length();
        });
    data.endHandler(v -> ended.complete());
    data.resume();
    await(ended.future());
    assertEquals(FakePod.SOURCE_SIZE, received[0]);
    assertTrue(intact[0]);
  }

  /**
   * The client's FIN reaches the pod as EOF while the pod can still answer: it only answers after
   * EOF.
   */
  @Test
  void clientFinHalfClosesThePodConnection() throws Exception {
    SpdyDialer.Upgraded up = upgrade();
    Pair p = open(up, FakePod.HALF_CLOSE, "0");
    await(p.data().write(Buffer.buffer("ping")));
    await(p.data().end());
    assertEquals("read 4 bytes: ping", await(p.received()).toString(StandardCharsets.UTF_8));
    assertEquals("", await(p.errorContent()).toString());
  }

  @Test
  void twoConcurrentPairsInterleaved() throws Exception {
    SpdyDialer.Upgraded up = upgrade();
    Stream error0 = await(up.session().createStream(headers("error", FakePod.ECHO, "0")));
    Stream error1 = await(up.session().createStream(headers("error", FakePod.HALF_CLOSE, "1")));
    Future<Buffer> e0 = readAll(error0);
    Future<Buffer> e1 = readAll(error1);
    Stream data1 = await(up.session().createStream(headers("data", FakePod.HALF_CLOSE, "1")));
    Stream data0 = await(up.session().createStream(headers("data", FakePod.ECHO, "0")));
    Future<Buffer> r0 = readAll(data0);
    Future<Buffer> r1 = readAll(data1);
    await(data1.write(Buffer.buffer("second")));
    await(data0.write(Buffer.buffer("first")));
    await(data0.end());
    await(data1.end());
    assertEquals("first", await(r0).toString());
    assertEquals("read 6 bytes: second", await(r1).toString());
    assertEquals("", await(e0).toString());
    assertEquals("", await(e1).toString());
  }

  /**
   * A refused port ends its pair like a close (empty error stream: any content would make kubectl
   * drop the whole forward, kubectl#1169); the connection serves the next pair.
   */
  @Test
  void refusedPortEndsItsPairQuietlyAndTheNextPairWorks() throws Exception {
    SpdyDialer.Upgraded up = upgrade();
    Pair refused = open(up, FakePod.REFUSED, "0");
    assertEquals("", await(refused.errorContent()).toString(StandardCharsets.UTF_8));
    assertEquals("", await(refused.received()).toString());

    Pair next = open(up, FakePod.HALF_CLOSE, "1");
    await(next.data().write(Buffer.buffer("again")));
    await(next.data().end());
    assertEquals("read 5 bytes: again", await(next.received()).toString());
    assertEquals("", await(next.errorContent()).toString());
    assertTrue(!up.session().closeFuture().isComplete());
  }

  /**
   * A pod that is gone is reported on that pair's error stream, in upstream's text; the server
   * keeps the rest.
   */
  @Test
  void aGonePodIsReportedOnItsErrorStream() throws Exception {
    SpdyDialer.Upgraded up = upgrade();
    Pair gone = open(up, FakePod.GONE, "0");
    assertEquals(
        "error forwarding port 85 to pod pod-x, uid uid-1: pod sandbox x is gone",
        await(gone.errorContent()).toString(StandardCharsets.UTF_8));
    assertEquals("", await(gone.received()).toString());

    Pair next = open(up, FakePod.HALF_CLOSE, "1");
    await(next.data().write(Buffer.buffer("again")));
    await(next.data().end());
    assertEquals("read 5 bytes: again", await(next.received()).toString());
    assertEquals("", await(next.errorContent()).toString());
    assertTrue(!up.session().closeFuture().isComplete());
  }

  /**
   * A pod connection reset mid-stream is an ordinary end for the client: FIN on both streams and an
   * empty error stream, so kubectl (which closes everything on any error content) keeps forwarding
   * (kubectl#1169).
   */
  @Test
  void resetByThePodEndsThePairSilently() throws Exception {
    SpdyDialer.Upgraded up = upgrade();
    Pair reset = open(up, FakePod.RESET, "0");
    await(reset.data().write(Buffer.buffer("GET / HTTP/1.1\r\n\r\n")));
    assertEquals("", await(reset.received()).toString());
    assertEquals("", await(reset.errorContent()).toString());
    Pair next = open(up, FakePod.HALF_CLOSE, "1");
    await(next.data().end());
    assertEquals("read 0 bytes: ", await(next.received()).toString());
  }

  /**
   * Checks before the SYN_REPLY: each bad stream is refused with RST_STREAM; the connection goes
   * on.
   */
  @Test
  void badHeadersAreReset() throws Exception {
    SpdyDialer.Upgraded up = upgrade();
    List<HeaderBlock> bad =
        List.of(
            HeaderBlock.of("streamtype", "data", "requestid", "0"),
            HeaderBlock.of("streamtype", "data", "port", "0", "requestid", "0"),
            HeaderBlock.of("streamtype", "data", "port", "http", "requestid", "0"),
            HeaderBlock.of("streamtype", "data", "port", "65536", "requestid", "0"),
            HeaderBlock.of("port", "80", "requestid", "0"),
            HeaderBlock.of("streamtype", "stdin", "port", "80", "requestid", "0"));
    for (HeaderBlock h : bad) {
      ExecutionException e =
          assertThrows(
              ExecutionException.class, () -> await(up.session().createStream(h)), h.toString());
      assertEquals("stream reset", e.getCause().getMessage(), h.toString());
    }
    Pair p = open(up, FakePod.HALF_CLOSE, "0");
    await(p.data().end());
    assertEquals("read 0 bytes: ", await(p.received()).toString());
  }

  @Test
  void incompletePairTimesOutWithUpstreamsMessage() throws Exception {
    creationTimeout = Duration.ofMillis(200);
    SpdyDialer.Upgraded up = upgrade();
    Stream error = await(up.session().createStream(headers("error", FakePod.ECHO, "7")));
    Future<Buffer> content = readAll(error);
    await(error.end());
    String message = await(content).toString(StandardCharsets.UTF_8);
    assertTrue(
        message.matches("\\(conn=[0-9a-f]+, request=7\\) timed out waiting for streams"), message);
  }

  @Test
  void duplicateStreamTypeIsReportedOnThePairsErrorStream() throws Exception {
    SpdyDialer.Upgraded up = upgrade();
    Stream error = await(up.session().createStream(headers("error", FakePod.ECHO, "0")));
    Future<Buffer> content = readAll(error);
    await(error.end());
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> await(up.session().createStream(headers("error", FakePod.ECHO, "0"))));
    assertEquals("stream reset", e.getCause().getMessage());
    Stream data = await(up.session().createStream(headers("data", FakePod.ECHO, "0")));
    Future<Buffer> received = readAll(data);
    await(data.write(Buffer.buffer("still works")));
    await(data.end());
    assertEquals("still works", await(received).toString());
    assertEquals(
        "error processing stream for request 0: error stream already assigned",
        await(content).toString());
  }

  /** Clients without {@code requestid}: error stream id n and data stream id n + 2 pair up. */
  @Test
  void pairsByStreamIdWithoutRequestId() throws Exception {
    SpdyDialer.Upgraded up = upgrade();
    Pair p = open(up, FakePod.HALF_CLOSE, null);
    assertEquals(p.error().id() + 2, p.data().id());
    await(p.data().write(Buffer.buffer("old")));
    await(p.data().end());
    assertEquals("read 3 bytes: old", await(p.received()).toString());
  }

  @Test
  void otherProtocolsAreRefusedWith403() throws Exception {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                await(
                    SpdyDialer.dial(
                        vertx,
                        netClient,
                        "127.0.0.1",
                        port,
                        "POST",
                        "/portforward/x",
                        List.of("v4.channel.k8s.io"),
                        Map.of())));
    SpdyDialer.UpgradeFailedException failed = (SpdyDialer.UpgradeFailedException) e.getCause();
    assertEquals(403, failed.status());
    assertEquals(
        "unable to upgrade: unable to negotiate protocol: client supports [v4.channel.k8s.io], "
            + "server accepts [portforward.k8s.io]\n",
        failed.body());
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
