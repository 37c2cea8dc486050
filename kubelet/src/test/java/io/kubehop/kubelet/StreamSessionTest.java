package io.kubehop.kubelet;

import static io.kubehop.kubelet.StreamingHarness.WAIT;
import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.kubelet.streaming.ProxyForwarder;
import io.kubehop.streaming.proxy.HopSession;
import io.kubehop.streaming.proxy.SessionEnd;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.client.WebSocketExecutor;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.BufferSink;
import io.kubehop.testkit.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who holds what during and after a proxied session: exactly the two sockets of the hop (from the
 * client, to the runtime's streaming port), one log line when it opens and one with the byte counts
 * when it closes, and nothing left once sessions end, however they end.
 */
class StreamSessionTest {

  private static final StreamOptions CAT = new StreamOptions(true, true, false, false);

  /**
   * The streaming package's logger, which sees the session lines of every class in it. Held
   * strongly: the LogManager keeps loggers only weakly, and the handler must stay on this one.
   */
  private static final Logger FORWARDER_LOG =
      Logger.getLogger(ProxyForwarder.class.getPackageName());

  @TempDir Path home;

  private StreamingHarness s;
  private final LogCapture capture = new LogCapture();
  private final List<String> log = capture.messages();

  @BeforeEach
  void start() throws Exception {
    FORWARDER_LOG.addHandler(capture);
    s = new StreamingHarness(home, false);
  }

  @AfterEach
  void stop() throws Exception {
    FORWARDER_LOG.removeHandler(capture);
    s.close();
  }

  private static long openFds() throws IOException {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  void aSessionHoldsOneSocketEachWayAndLogsItsBytes() throws Exception {
    BufferSource stdin = s.stdin();
    StreamingHarness.Session cat =
        s.exec(
            s.client.createNetClient(),
            "/exec/default/demo/main?command=cat&input=1" + "&output=1",
            CAT,
            stdin,
            Map.of("X-Kubehop-Session", "sess-1"));
    Await.until("the hop to be spliced", WAIT, () -> s.h.kubelet.hops().size() == 1);
    HopSession hop = s.h.kubelet.hops().active().iterator().next();
    assertEquals("sess-1", hop.id(), "the apiserver's session id is kept");
    assertTrue(
        hop.target()
            .matches("http://127\\.0\\.0\\.1:" + s.streaming.port() + "/exec/[A-Za-z0-9_-]{8}"),
        hop.target());
    assertEquals(s.h.port, hop.downstreamLocal().port(), "from the client, on the kubelet port");
    assertEquals(
        s.streaming.port(), hop.upstreamRemote().port(), "to the runtime's streaming port");
    assertEquals(
        2,
        TcpTable.connections(s.streaming.port()).size(),
        "one connection to the runtime, not pooled (both ends are in this JVM): "
            + TcpTable.connections(s.streaming.port()));
    assertEquals(
        2,
        TcpTable.connections(s.h.port).size(),
        "one from the client: " + TcpTable.connections(s.h.port));

    stdin.push("ping\n");
    Await.until("the echo", WAIT, () -> cat.stdout().text().equals("ping\n"));
    stdin.end();
    await(cat.done());
    Await.until("the hop to close", WAIT, () -> s.h.kubelet.hops().size() == 0);
    Await.until(
        "the connections to close",
        WAIT,
        () ->
            TcpTable.connections(s.streaming.port()).isEmpty()
                && TcpTable.connections(s.h.port).isEmpty());

    Await.until("the close line", WAIT, () -> log.stream().anyMatch(l -> l.contains("closed")));
    String opened = log.stream().filter(l -> l.contains(" opened ")).findFirst().orElseThrow();
    assertTrue(
        opened.startsWith(
            "session sess-1 exec default/demo/main opened (splice SPDY/3.1 v4.channel.k8s.io): "
                + "127.0.0.1:"),
        opened);
    assertTrue(opened.contains(" -> " + hop.target() + " via "), opened);
    String closed =
        log.stream().filter(l -> l.contains(" closed after ")).findFirst().orElseThrow();
    assertTrue(
        closed.matches(
            "session sess-1 exec default/demo/main closed after \\d+ ms: (\\d+) bytes up, "
                + "(\\d+) bytes down"),
        closed);
    assertTrue(hop.bytesUp() > 0 && hop.bytesDown() > 0, hop.bytesUp() + "/" + hop.bytesDown());
    assertTrue(
        closed.endsWith(": " + hop.bytesUp() + " bytes up, " + hop.bytesDown() + " bytes down"),
        closed);
    assertEquals(List.of("sess-1"), s.streaming.sessionIds(), "the id travels on to the runtime");
  }

  @Test
  void aSessionWithoutIdGetsOneIdEverywhere() throws Exception {
    BufferSource stdin = s.stdin();
    StreamingHarness.Session cat =
        s.exec("/exec/default/demo/main?command=cat&input=1&output=1", CAT, stdin);
    Await.until("the hop to be spliced", WAIT, () -> s.h.kubelet.hops().size() == 1);
    String id = s.h.kubelet.hops().active().iterator().next().id();
    assertTrue(id.matches("[0-9a-f]{16}"), id);
    assertEquals(
        List.of(id), s.streaming.sessionIds(), "the runtime got the id the kubelet minted");
    stdin.end();
    await(cat.done());
    Await.until(
        "the close line",
        WAIT,
        () ->
            log.stream()
                .anyMatch(
                    l -> l.startsWith("session " + id + " exec default/demo/main closed after ")));
  }

  /**
   * A session the kubelet translates (v5 WebSocket in, SPDY to the runtime) logs the same pair of
   * lines as a proxied one: the translating forwarder's close line once lacked the duration.
   */
  @Test
  void aTranslatedSessionLogsTheSameOpenedAndClosedLines() throws Exception {
    s.close();
    s = new StreamingHarness(home.resolve("translating"), false, true);
    BufferSource stdin = s.stdin();
    BufferSink stdout = new BufferSink();
    Future<Void> done =
        new WebSocketExecutor(s.client, s.client.createWebSocketClient())
            .stream(
                "127.0.0.1",
                s.h.port,
                "/exec/default/demo/main?command=cat&input=1&output=1",
                Map.of("X-Kubehop-Session", "sess-ws"),
                CAT,
                stdin,
                stdout,
                null,
                null);
    stdin.push("ping\n");
    Await.until("the echo", WAIT, () -> stdout.text().equals("ping\n"));
    stdin.end();
    await(done);

    Await.until("the close line", WAIT, () -> log.stream().anyMatch(l -> l.contains(" closed ")));
    String opened = log.stream().filter(l -> l.contains(" opened ")).findFirst().orElseThrow();
    assertTrue(
        opened.startsWith(
            "session sess-ws exec default/demo/main opened (translated websocket "
                + "v5.channel.k8s.io -> SPDY/3.1 "),
        opened);
    String closed = log.stream().filter(l -> l.contains(" closed ")).findFirst().orElseThrow();
    assertTrue(
        closed.matches(
            "session sess-ws exec default/demo/main closed after \\d+ ms: \\d+ bytes up, "
                + "\\d+ bytes down"),
        closed);
  }

  /**
   * The runtime's streaming server goes away under a session the kubelet translates: the client
   * gets a Failure Status naming the runtime, not the Success that upstream's translator writes.
   */
  @Test
  void aTranslatedSessionWhoseRuntimeGoesAwayNamesTheRuntime() throws Exception {
    s.close();
    s = new StreamingHarness(home.resolve("translating-lost"), false, true);
    BufferSource stdin = s.stdin();
    BufferSink stdout = new BufferSink();
    Future<Void> done =
        new WebSocketExecutor(s.client, s.client.createWebSocketClient())
            .stream(
                "127.0.0.1",
                s.h.port,
                "/exec/default/demo/main?command=cat&input=1&output=1",
                Map.of("X-Kubehop-Session", "sess-lost"),
                CAT,
                stdin,
                stdout,
                null,
                null);
    stdin.push("ping\n");
    Await.until("the echo", WAIT, () -> stdout.text().equals("ping\n"));
    int runtimePort = s.streaming.port();
    s.streaming.close(); // its connections go with it

    Await.until("the session to end", WAIT, done::isComplete);
    assertTrue(done.failed());
    assertTrue(
        done.cause()
            .getMessage()
            .matches(
                "connection to runtime \\(127\\.0\\.0\\.1:"
                    + runtimePort
                    + "\\) lost after \\d+\\.\\d s"),
        done.cause().getMessage());
    HopSession hop = s.h.kubelet.hops().find("sess-lost").orElseThrow();
    assertEquals(SessionEnd.Side.BACKEND, hop.ended().orElseThrow().first());
    assertTrue(hop.statusDelivered());
  }

  @Test
  void aClientThatLeavesBeforeTheUpgradeLeavesNothingBehind() throws Exception {
    s.h.runtime.delayStreams(300);
    try (Socket gone = new Socket("127.0.0.1", s.h.port)) {
      gone.getOutputStream()
          .write(
              RawHttp.spdyPost("/exec/default/demo/main?command=cat&input=1&output=1")
                  .getBytes(StandardCharsets.ISO_8859_1));
      gone.getOutputStream().flush();
    } // closed while the kubelet waits for CRI
    Await.until(
        "the runtime to have been asked", WAIT, () -> s.h.runtime.calls("Exec").size() == 1);
    Await.until(
        "the runtime to see the kubelet's attempt", WAIT, () -> s.streaming.connections() == 1);
    try {
      Await.until(
          "no connection left",
          WAIT,
          () ->
              TcpTable.connections(s.streaming.port()).isEmpty()
                  && TcpTable.connections(s.h.port).isEmpty());
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + ": runtime "
              + TcpTable.connections(s.streaming.port())
              + " kubelet "
              + TcpTable.connections(s.h.port),
          e);
    }
    assertEquals(0, s.h.kubelet.hops().size());

    s.h.runtime.delayStreams(0);
    StreamingHarness.Session next =
        s.exec(
            "/exec/default/demo/main?command=echo&command=fine&output=1",
            new StreamOptions(false, true, false, false),
            null);
    await(next.done());
    assertEquals("fine\n", await(next.stdout().ended()).toString());
  }

  /**
   * One of each way a session can end: success, non-zero exit, refusal, runtime refusal, client
   * gone.
   */
  private void everyKindOfSession() throws Exception {
    StreamingHarness.Session echo =
        s.exec(
            "/exec/default/demo/main?command=echo&command=x&output=1",
            new StreamOptions(false, true, false, false),
            null);
    assertEquals("x\n", await(echo.stdout().ended()).toString());
    await(echo.done());
    s.exec(
            "/exec/default/demo/main?command=exit&command=2&output=1",
            new StreamOptions(false, true, false, false),
            null)
        .done()
        .otherwiseEmpty()
        .await();
    RawHttp.exchange(s.h.port, RawHttp.spdyPost("/exec/default/demo/nope?command=x&output=1"));
    RawHttp.exchange(s.h.port, RawHttp.spdyPost("/exec/default/demo/main?command=x"));

    // The client vanishes mid-session: both of the kubelet's sockets must go.
    NetClient net = s.client.createNetClient();
    BufferSource stdin = s.stdin();
    StreamingHarness.Session abandoned =
        s.exec(net, "/exec/default/demo/main?command=cat&input=1&output=1", CAT, stdin, Map.of());
    stdin.push("a");
    Await.until("the abandoned session to echo", WAIT, () -> abandoned.stdout().text().equals("a"));
    net.close().await();
    Await.until(
        "the kubelet to drop the abandoned hop", WAIT, () -> s.h.kubelet.hops().size() == 0);
    Await.until(
        "the connections to close",
        WAIT,
        () ->
            TcpTable.connections(s.streaming.port()).isEmpty()
                && TcpTable.connections(s.h.port).isEmpty());
  }

  @Test
  void endedSessionsLeaveNoSocketBehind() throws Exception {
    everyKindOfSession(); // warm-up: lazily created threads, pools and clients exist from here on
    long baseline = openFds();
    for (int i = 0; i < 3; i++) {
      everyKindOfSession();
    }
    Await.until(
        "the JVM's descriptors back to " + baseline,
        WAIT,
        () -> {
          try {
            return openFds() <= baseline;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    assertEquals(0, s.h.kubelet.hops().size());
  }
}
