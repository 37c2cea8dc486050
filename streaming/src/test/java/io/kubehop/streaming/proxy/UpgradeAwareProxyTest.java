package io.kubehop.streaming.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.spdy.frame.Golden;
import io.kubehop.streaming.transport.PostUpgrades;
import io.kubehop.testkit.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpgradeAwareProxyTest {

  private Vertx vertx;
  private final HopRegistry registry = new HopRegistry();
  private final BlockingQueue<String> backendHeads = new LinkedBlockingQueue<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A raw backend: records the request head, then runs {@code behaviour} on the socket. */
  private int backend(Consumer<NetSocket> behaviour) throws Exception {
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                socket -> {
                  Buffer head = Buffer.buffer();
                  socket.handler(
                      b -> {
                        head.appendBuffer(b);
                        String s = head.toString(StandardCharsets.ISO_8859_1);
                        int end = s.indexOf("\r\n\r\n");
                        if (end >= 0 && !backendHeads.contains(s)) {
                          socket.handler(null);
                          backendHeads.add(s.substring(0, end));
                          behaviour.accept(socket);
                        }
                      });
                });
    return server
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS)
        .actualPort();
  }

  private int proxy(String location, UpgradeAwareProxy.RedirectPolicy policy) throws Exception {
    return proxy(location, new UpgradeAwareProxy(vertx, ErrorResponder.status(), policy, registry));
  }

  private int proxy(String location, UpgradeAwareProxy proxy) throws Exception {
    HttpServer server =
        PostUpgrades.install(
            vertx
                .createHttpServer(PostUpgrades.configure(new HttpServerOptions()))
                .requestHandler(req -> proxy.proxy(req, URI.create(location + req.uri()))));
    return server
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS)
        .actualPort();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static final String UPGRADE =
      "GET /exec/ns/pod/c?command=echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nAuthorization: Bearer secret\r\n"
          + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nX-Stream-Protocol-Version: v3.channel.k8s.io\r\n\r\n";

  @Test
  void aSplicedHopWithoutAByteForItsIdleTimeoutEndsBothConnections() throws Exception {
    Promise<Void> backendClosed = Promise.promise();
    int backend =
        backend(
            socket -> {
              socket.closeHandler(v -> backendClosed.tryComplete());
              socket.write(
                  "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n");
              socket.handler(socket::write);
            });
    int proxy =
        proxy(
            "http://127.0.0.1:" + backend,
            new UpgradeAwareProxy(
                vertx.createNetClient(),
                ErrorResponder.status(),
                UpgradeAwareProxy.RedirectPolicy.NEVER,
                registry,
                Duration.ofMillis(400)));
    try (Socket client = new Socket("127.0.0.1", proxy)) {
      client.setSoTimeout(5000);
      send(client.getOutputStream(), UPGRADE);
      readHead(client.getInputStream());
      long quiet = System.nanoTime();
      // Bytes either way restart the timeout: three echoes 250 ms apart outlive one timeout.
      for (int i = 0; i < 3; i++) {
        long at = System.nanoTime();
        Await.until(
            "250 ms",
            Duration.ofSeconds(2),
            () -> System.nanoTime() - at >= Duration.ofMillis(250).toNanos());
        send(client.getOutputStream(), "x");
        assertEquals('x', client.getInputStream().read());
      }
      long lastByte = System.nanoTime();
      assertEquals(-1, client.getInputStream().read(), "the proxy closed the client's connection");
      long silent = System.nanoTime() - lastByte;
      assertTrue(System.nanoTime() - quiet >= Duration.ofMillis(1150).toNanos());
      assertTrue(silent >= Duration.ofMillis(380).toNanos(), "cut after " + silent / 1_000_000);
      assertTrue(silent < Duration.ofMillis(3000).toNanos(), "cut after " + silent / 1_000_000);
    }
    Await.await(backendClosed.future(), Duration.ofSeconds(5));
    Await.until("the hop closed", Duration.ofSeconds(5), () -> registry.size() == 0);
    HopSession hop = registry.closed().get(0);
    assertEquals(SessionEnd.Side.SELF, hop.ended().orElseThrow().first());
    assertEquals(SessionEnd.How.TIMEOUT, hop.ended().orElseThrow().how());
  }

  @Test
  void relays101AndEarlyBytesThenSplicesBothWays() throws Exception {
    int backend =
        backend(
            socket -> {
              socket.write(
                  "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                      + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\nearly");
              socket.handler(socket::write);
            });
    int proxy = proxy("http://127.0.0.1:" + backend, UpgradeAwareProxy.RedirectPolicy.NEVER);
    try (Socket client = new Socket("127.0.0.1", proxy)) {
      client.setSoTimeout(5000);
      send(client.getOutputStream(), UPGRADE);
      String head = readHead(client.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
      String id = head.replaceAll("(?s).*X-Kubehop-Session: ([0-9a-f]{16})\r\n.*", "$1");
      assertEquals(
          "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
              + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nX-Kubehop-Session: "
              + id
              + "\r\n\r\n",
          head,
          "the backend's head, verbatim, and the session id this tier used");
      assertEquals(
          "early", new String(client.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
      send(client.getOutputStream(), "ping");
      assertEquals(
          "ping", new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));

      String forwarded = backendHeads.poll(5, TimeUnit.SECONDS);
      assertTrue(forwarded.startsWith("GET /exec/ns/pod/c?command=echo HTTP/1.1\r\n"), forwarded);
      assertTrue(
          forwarded.contains(
              "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                  + "X-Stream-Protocol-Version: v3.channel.k8s.io\r\n"),
          forwarded);
      assertTrue(
          !forwarded.contains("Authorization"), "credentials stop at the proxy: " + forwarded);
      assertTrue(forwarded.contains("X-Forwarded-For: 127.0.0.1\r\n"), forwarded);
      assertTrue(forwarded.endsWith("X-Kubehop-Session: " + id), forwarded);
      assertEquals(1, registry.size());
    }
    Await.within(Duration.ofSeconds(5), () -> registry.size() == 0);
    assertEquals(0, registry.size(), "the hop is gone once the client closed");
  }

  /** Byte {@code i} of the bulk test's streams: no two neighbouring 256-byte blocks alike. */
  private static byte pattern(long i) {
    return (byte) (i * 31 + (i >>> 8));
  }

  @Test
  void bulkBytesCrossASpliceWholeBothWaysBehindASlowReaderAndTheEndComesLast() throws Exception {
    int total = 8 << 20;
    AtomicBoolean backendBlocked = new AtomicBoolean();
    AtomicLong backendGot = new AtomicLong();
    AtomicBoolean backendBytesRight = new AtomicBoolean(true);
    int backend =
        backend(
            socket -> {
              socket.write(SPDY_101 + "early");
              long[] sent = {0};
              // The end once all is written and all was read: a close with unread input is an RST,
              // which would destroy the tail in flight whatever the splice did.
              Runnable endWhenDone =
                  () -> {
                    if (sent[0] == total && backendGot.get() == total) {
                      socket.end();
                    }
                  };
              socket.handler(
                  b -> {
                    long at = backendGot.getAndAdd(b.length());
                    for (int i = 0; i < b.length(); i++) {
                      if (b.getByte(i) != pattern(at + i)) {
                        backendBytesRight.set(false);
                      }
                    }
                    endWhenDone.run();
                  });
              // written as fast as the splice takes them
              Runnable[] more = new Runnable[1];
              more[0] =
                  () -> {
                    while (sent[0] < total && !socket.writeQueueFull()) {
                      int n = (int) Math.min(64 * 1024, total - sent[0]);
                      byte[] chunk = new byte[n];
                      for (int i = 0; i < n; i++) {
                        chunk[i] = pattern(sent[0] + i);
                      }
                      sent[0] += n;
                      socket.write(Buffer.buffer(chunk));
                    }
                    if (sent[0] < total) {
                      backendBlocked.set(true);
                      socket.drainHandler(v -> more[0].run());
                    } else {
                      endWhenDone.run();
                    }
                  };
              more[0].run();
            });
    int proxy = proxy("http://127.0.0.1:" + backend, UpgradeAwareProxy.RedirectPolicy.NEVER);
    try (Socket client = new Socket("127.0.0.1", proxy)) {
      client.setSoTimeout(10_000);
      send(client.getOutputStream(), UPGRADE);
      readHead(client.getInputStream());
      Thread writer =
          new Thread(
              () -> {
                try {
                  OutputStream out = client.getOutputStream();
                  byte[] chunk = new byte[32 * 1024];
                  for (long sent = 0; sent < total; sent += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) {
                      chunk[i] = pattern(sent + i);
                    }
                    out.write(chunk);
                  }
                  out.flush();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      writer.start();
      // Nothing read yet: the splice must stop reading the backend rather than hold its bytes.
      Await.until("the backend held back", Duration.ofSeconds(10), backendBlocked::get);
      InputStream in = client.getInputStream();
      assertEquals("early", new String(in.readNBytes(5), StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      long got = 0;
      for (int n; (n = in.read(chunk)) > 0; got += n) {
        for (int i = 0; i < n; i++) {
          if (chunk[i] != pattern(got + i)) {
            throw new AssertionError("byte " + (got + i) + " differs");
          }
        }
      }
      assertEquals(total, got, "every byte toward the client, then the end");
      writer.join(10_000);
      Await.until("all bytes upward", Duration.ofSeconds(10), () -> backendGot.get() >= total);
      assertEquals(total, backendGot.get());
      assertTrue(backendBytesRight.get(), "the bytes upward arrived as sent");
    }
  }

  private static final String UPGRADE_WITH_SESSION =
      UPGRADE.replace("\r\n\r\n", "\r\nX-Kubehop-Session: cli-0123456789abcdef\r\n\r\n");

  private static final String SPDY_101 =
      "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
          + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n";

  /** A backend that answers the upgrade with {@link #SPDY_101} and hands each socket over. */
  private int upgradingBackend(BlockingQueue<NetSocket> sockets) throws Exception {
    return backend(
        socket -> {
          socket.write(SPDY_101);
          sockets.add(socket);
        });
  }

  @Test
  void aBackendThatGoesAwayIsRecordedAsEndingFirst() throws Exception {
    BlockingQueue<NetSocket> backendSockets = new LinkedBlockingQueue<>();
    int backend = upgradingBackend(backendSockets);
    int proxy = proxy("http://127.0.0.1:" + backend, UpgradeAwareProxy.RedirectPolicy.NEVER);
    try (Socket client = new Socket("127.0.0.1", proxy)) {
      client.setSoTimeout(5000);
      send(client.getOutputStream(), UPGRADE_WITH_SESSION);
      String head = readHead(client.getInputStream());
      assertTrue(head.contains("\r\nX-Kubehop-Session: cli-0123456789abcdef\r\n"), head);
      Await.until("the hop held", Duration.ofSeconds(5), () -> registry.size() == 1);
      HopSession hop = registry.active().iterator().next();
      assertTrue(hop.ended().isEmpty());
      backendSockets.poll(5, TimeUnit.SECONDS).close();
      assertEquals(-1, client.getInputStream().read(), "the client sees the end");
      Await.until("the end recorded", Duration.ofSeconds(5), () -> hop.ended().isPresent());
      assertEquals(SessionEnd.Side.BACKEND, hop.ended().orElseThrow().first());
      assertEquals(SessionEnd.How.CLOSED, hop.ended().orElseThrow().how());
      assertEquals(false, hop.statusDelivered(), "a splice does not decode: no Status seen");
      assertEquals("backend (127.0.0.1:" + backend + ")", hop.backend().describe());
    }
    Await.until("the hop remembered", Duration.ofSeconds(5), () -> registry.closed().size() == 1);
    assertEquals("cli-0123456789abcdef", registry.closed().get(0).id());
  }

  @Test
  void aBackendGoneMidExecLeavesTheClientAFailureOnItsErrorStream() throws Exception {
    Buffer synError = Golden.load("kubectl-exec.hex").get("syn-stream-error"); // stream 1
    Buffer synReply = Golden.load("kubectl-exec.hex").get("syn-reply-1");
    int backend =
        backend(
            socket -> {
              socket.write(SPDY_101);
              Buffer got = Buffer.buffer();
              socket.handler(
                  b -> {
                    got.appendBuffer(b);
                    if (got.length() == synError.length()) {
                      socket.write(synReply).onComplete(v -> socket.close()); // dies, no status
                    }
                  });
            });
    int proxy = proxy("http://127.0.0.1:" + backend, UpgradeAwareProxy.RedirectPolicy.NEVER);
    try (Socket client = new Socket("127.0.0.1", proxy)) {
      client.setSoTimeout(5000);
      send(client.getOutputStream(), UPGRADE_WITH_SESSION);
      readHead(client.getInputStream());
      client.getOutputStream().write(synError.getBytes());
      InputStream in = client.getInputStream();
      assertEquals(
          Golden.hex(synReply), Golden.hex(Buffer.buffer(in.readNBytes(synReply.length()))));
      Buffer header = Buffer.buffer(in.readNBytes(8));
      assertEquals("0000000101", Golden.hex(header.getBuffer(0, 5)), "DATA stream=1 FIN");
      String status =
          new String(in.readNBytes(header.getUnsignedMedium(5)), StandardCharsets.UTF_8);
      assertTrue(
          status.matches(
              "\\{\"metadata\":\\{\\},\"status\":\"Failure\",\"message\":\"connection to backend"
                  + " \\(127\\.0\\.0\\.1:"
                  + backend
                  + "\\) lost after \\d\\.\\d s\",\"reason\":\"InternalError\",\"code\":500\\}"),
          status);
      assertEquals(-1, in.read(), "then the end");
    }
  }

  @Test
  void aClientStillSendingAfterTheBackendWentAwayIsClosedWhenItEnds() throws Exception {
    BlockingQueue<NetSocket> backendSockets = new LinkedBlockingQueue<>();
    int backend = upgradingBackend(backendSockets);
    int proxy = proxy("http://127.0.0.1:" + backend, UpgradeAwareProxy.RedirectPolicy.NEVER);
    try (Socket client = new Socket("127.0.0.1", proxy)) {
      client.setSoTimeout(5000);
      send(client.getOutputStream(), UPGRADE_WITH_SESSION);
      readHead(client.getInputStream());
      Await.until("the hop held", Duration.ofSeconds(5), () -> registry.size() == 1);
      // let the splice take over from Vert.x first: a round trip through it
      NetSocket far = backendSockets.poll(5, TimeUnit.SECONDS);
      far.handler(far::write);
      send(client.getOutputStream(), "x");
      assertEquals('x', client.getInputStream().read());
      far.close();
      assertEquals(-1, client.getInputStream().read(), "the client sees the backend's end");
      // Bytes the client sends meanwhile find no backend; its own end must still be seen.
      send(client.getOutputStream(), "late bytes for a backend that is gone");
      client.shutdownOutput();
      Await.until(
          "the hop closed once the client ended too",
          Duration.ofSeconds(5),
          () -> registry.size() == 0);
    }
  }

  @Test
  void aClientThatGoesAwayIsRecordedAsEndingFirst() throws Exception {
    int backend = backend(socket -> socket.write(SPDY_101));
    int proxy = proxy("http://127.0.0.1:" + backend, UpgradeAwareProxy.RedirectPolicy.NEVER);
    try (Socket client = new Socket("127.0.0.1", proxy)) {
      client.setSoTimeout(5000);
      send(client.getOutputStream(), UPGRADE_WITH_SESSION);
      readHead(client.getInputStream());
      Await.until("the hop held", Duration.ofSeconds(5), () -> registry.size() == 1);
    }
    Await.until("the hop remembered", Duration.ofSeconds(5), () -> registry.closed().size() == 1);
    SessionEnd end = registry.closed().get(0).ended().orElseThrow();
    assertEquals(SessionEnd.Side.CLIENT, end.first());
    assertEquals(SessionEnd.How.CLOSED, end.how());
  }

  @Test
  void relaysBackendErrorsVerbatimAndCloses() throws Exception {
    String body =
        "unable to upgrade: unable to negotiate protocol: client supports [v9], server accepts [v4]\n";
    int backend =
        backend(
            socket ->
                socket.write(
                    "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        + "X-Accepted-Stream-Protocol-Versions: v4.channel.k8s.io\r\nContent-Length: "
                        + body.length()
                        + "\r\n\r\n"
                        + body));
    int proxy = proxy("http://127.0.0.1:" + backend, UpgradeAwareProxy.RedirectPolicy.NEVER);
    try (Socket client = new Socket("127.0.0.1", proxy)) {
      client.setSoTimeout(5000);
      send(client.getOutputStream(), UPGRADE);
      String response = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.1 403 Forbidden\r\n"), response);
      assertTrue(
          response.contains("X-Accepted-Stream-Protocol-Versions: v4.channel.k8s.io\r\n"),
          response);
      assertTrue(response.endsWith("\r\n\r\n" + body), response);
    }
  }

  @Test
  void dialFailureIsA500Status() throws Exception {
    int proxy = proxy("http://127.0.0.1:1", UpgradeAwareProxy.RedirectPolicy.NEVER);
    try (Socket client = new Socket("127.0.0.1", proxy)) {
      client.setSoTimeout(5000);
      send(client.getOutputStream(), UPGRADE);
      String head = readHead(client.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 500 "), head);
      byte[] body = new byte[4096];
      int n = client.getInputStream().read(body);
      String json = new String(body, 0, n, StandardCharsets.UTF_8);
      assertTrue(
          json.contains(
              "\"message\":\"error dialing backend: dial tcp 127.0.0.1:1: connect: connection refused\""),
          json);
    }
  }

  @Test
  void followsSameHostRedirectsOnlyWhenAllowed() throws Exception {
    int target =
        backend(
            socket -> {
              socket.write(
                  "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n");
              socket.handler(socket::write);
            });
    int redirector =
        backend(
            socket ->
                socket.write(
                    "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:"
                        + target
                        + "/exec/AbCdEf12\r\nContent-Length: 0\r\n\r\n"));
    int following =
        proxy("http://127.0.0.1:" + redirector, UpgradeAwareProxy.RedirectPolicy.sameHost());
    try (Socket client = new Socket("127.0.0.1", following)) {
      client.setSoTimeout(5000);
      send(client.getOutputStream(), UPGRADE);
      assertTrue(readHead(client.getInputStream()).startsWith("HTTP/1.1 101 "));
    }
    int notFollowing =
        proxy("http://127.0.0.1:" + redirector, UpgradeAwareProxy.RedirectPolicy.NEVER);
    try (Socket client = new Socket("127.0.0.1", notFollowing)) {
      client.setSoTimeout(5000);
      send(client.getOutputStream(), UPGRADE);
      String head = readHead(client.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 500 "), head);
    }
  }

  @Test
  void plainRequestsAreRejected() throws Exception {
    int proxy = proxy("http://127.0.0.1:1", UpgradeAwareProxy.RedirectPolicy.NEVER);
    try (Socket client = new Socket("127.0.0.1", proxy)) {
      client.setSoTimeout(5000);
      send(client.getOutputStream(), "GET /exec/ns/pod/c HTTP/1.1\r\nHost: x\r\n\r\n");
      String head = readHead(client.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 400 "), head);
    }
  }

  @Test
  void postUpgradesTravelAsPostWithEarlyBytesIntact() throws Exception {
    int backend =
        backend(
            socket -> {
              socket.write(
                  "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n");
              socket.handler(socket::write);
            });
    int proxy = proxy("http://127.0.0.1:" + backend, UpgradeAwareProxy.RedirectPolicy.NEVER);
    try (Socket client = new Socket("127.0.0.1", proxy)) {
      client.setSoTimeout(5000);
      // kubectl's SPDY exec: a POST, and the first frame may follow the head in the same segment.
      send(
          client.getOutputStream(),
          UPGRADE.replace("GET ", "POST ").replace("\r\n\r\n", "\r\nContent-Length: 0\r\n\r\n")
              + "first");
      assertTrue(readHead(client.getInputStream()).startsWith("HTTP/1.1 101 "));
      assertEquals(
          "first", new String(client.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
      String forwarded = backendHeads.poll(5, TimeUnit.SECONDS);
      assertTrue(forwarded.startsWith("POST /exec/ns/pod/c?command=echo HTTP/1.1\r\n"), forwarded);
      assertTrue(!forwarded.contains("X-Kubehop-Original-Method"), forwarded);
    }
  }
}
