package io.kubehop.streaming.proxy;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TunnelingHandlerTest {

  private static final String TUNNELED = "SPDY/3.1+portforward.k8s.io";
  private static final String SPDY_101 =
      "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
          + "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n";

  /**
   * Small socket buffers (no autotuning), so a megabyte cannot hide in the kernels of a stalled
   * path.
   */
  private static final int SOCKET_BUFFER = 32 * 1024;

  private Vertx vertx;
  private final HopRegistry registry = new HopRegistry();
  private final BlockingQueue<String> backendHeads = new LinkedBlockingQueue<>();
  private final BlockingQueue<Future<HopSession>> tunnels = new LinkedBlockingQueue<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * Fails if {@code value} passes {@code bound} within {@code period}: the negative half of a
   * back-pressure check (a proxy that buffered without bound would read the whole megabyte within
   * milliseconds).
   */
  private static void assertStaysBelow(
      LongSupplier value, long bound, Duration period, String what) {
    long deadline = System.nanoTime() + period.toNanos();
    while (System.nanoTime() < deadline) {
      long v = value.getAsLong();
      if (v >= bound) {
        throw new AssertionError(what + " reached " + v + " bytes, bound " + bound);
      }
      Thread.onSpinWait();
    }
  }

  /** A raw backend: records the request head, then runs {@code behaviour} on the socket. */
  private int backend(Consumer<NetSocket> behaviour) throws Exception {
    return await(
            vertx
                .createNetServer(
                    new NetServerOptions()
                        .setSendBufferSize(SOCKET_BUFFER)
                        .setReceiveBufferSize(SOCKET_BUFFER))
                .connectHandler(
                    socket -> {
                      Buffer head = Buffer.buffer();
                      socket.handler(
                          b -> {
                            head.appendBuffer(b);
                            String s = head.toString(StandardCharsets.ISO_8859_1);
                            int end = s.indexOf("\r\n\r\n");
                            if (end >= 0) {
                              socket.handler(null);
                              backendHeads.add(s.substring(0, end + 4));
                              if (head.length() > end + 4) {
                                throw new AssertionError("bytes after the SPDY request head: " + s);
                              }
                              behaviour.accept(socket);
                            }
                          });
                    })
                .listen(0, "127.0.0.1"))
        .actualPort();
  }

  /**
   * An echo backend: answers the 101 plus {@code early}, then returns every byte re-chunked (3,
   * then 4099 bytes).
   */
  private int echoBackend(String early, CompletableFuture<Void> backendSawEnd) throws Exception {
    return backend(
        socket -> {
          socket.write(SPDY_101 + early);
          socket.handler(
              b -> {
                for (int i = 0; i < b.length(); i += i == 0 ? 3 : 4099) {
                  socket.write(b.getBuffer(i, Math.min(b.length(), i + (i == 0 ? 3 : 4099))));
                }
              });
          socket.endHandler(v -> backendSawEnd.complete(null));
        });
  }

  private int tunnel(int backendPort) throws Exception {
    TunnelingHandler handler =
        new TunnelingHandler(
            vertx.createNetClient(
                new NetClientOptions()
                    .setReceiveBufferSize(SOCKET_BUFFER)
                    .setSendBufferSize(SOCKET_BUFFER)),
            registry);
    return await(
            vertx
                .createHttpServer(
                    TunnelingHandler.configure(
                        new HttpServerOptions()
                            .setSendBufferSize(SOCKET_BUFFER)
                            .setReceiveBufferSize(SOCKET_BUFFER)))
                .requestHandler(
                    req ->
                        tunnels.add(
                            handler.tunnel(
                                req,
                                URI.create(
                                    "http://127.0.0.1:"
                                        + backendPort
                                        + "/portforward/ns/pod?x=1"))))
                .listen(0, "127.0.0.1"))
        .actualPort();
  }

  /**
   * Held in a field: Vert.x closes a client that is no longer referenced (a Cleaner), even
   * mid-handshake.
   */
  private WebSocketClient client;

  private WebSocketClient client() {
    if (client == null) {
      client = newClient();
    }
    return client;
  }

  private WebSocketClient newClient() {
    return vertx.createWebSocketClient(
        new WebSocketClientOptions()
            .setMaxFrameSize(TunnelingHandler.MAX_MESSAGE)
            .setMaxMessageSize(TunnelingHandler.MAX_MESSAGE)
            .setReceiveBufferSize(SOCKET_BUFFER)
            .setSendBufferSize(SOCKET_BUFFER));
  }

  private static WebSocketConnectOptions connect(int port, String... protocols) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/api/v1/namespaces/ns/pods/pod/portforward")
            .addHeader("X-Kubehop-Session", "sess-42");
    for (String p : protocols) {
      options.addSubProtocol(p);
    }
    return options;
  }

  private static byte[] random(int n, long seed) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void selectionPredicate() {
    MultiMap ws =
        MultiMap.caseInsensitiveMultiMap().add("Connection", "Upgrade").add("Upgrade", "websocket");
    assertFalse(TunnelingHandler.isWebSocketRequestWithTunnelingProtocol(ws));
    assertTrue(
        TunnelingHandler.isWebSocketRequestWithTunnelingProtocol(
            MultiMap.caseInsensitiveMultiMap()
                .addAll(ws)
                .add("Sec-WebSocket-Protocol", "v5.channel.k8s.io, " + TUNNELED)));
    assertTrue(
        TunnelingHandler.isWebSocketRequestWithTunnelingProtocol(
            MultiMap.caseInsensitiveMultiMap()
                .addAll(ws)
                .add("Sec-WebSocket-Protocol", "v5.channel.k8s.io")
                .add("Sec-WebSocket-Protocol", TUNNELED)));
    assertFalse(
        TunnelingHandler.isWebSocketRequestWithTunnelingProtocol(
            MultiMap.caseInsensitiveMultiMap()
                .addAll(ws)
                .add("Sec-WebSocket-Protocol", "SPDY/3.1+portforward.example")));
    assertFalse(
        TunnelingHandler.isWebSocketRequestWithTunnelingProtocol(
            MultiMap.caseInsensitiveMultiMap()
                .add("Connection", "Upgrade")
                .add("Upgrade", "SPDY/3.1")
                .add("Sec-WebSocket-Protocol", TUNNELED)));
  }

  @Test
  void tunnelsBytesAcrossMessageBoundariesAndRewritesTheRequest() throws Exception {
    CompletableFuture<Void> backendSawEnd = new CompletableFuture<>();
    int port = tunnel(echoBackend("early", backendSawEnd));
    // Handlers before the handshake completes: the early bytes come right behind the 101.
    ClientWebSocket ws = client().webSocket();
    Buffer received = Buffer.buffer();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    ws.frameHandler(
        f -> {
          if (f.isBinary() || f.isContinuation()) {
            synchronized (received) {
              received.appendBuffer(f.binaryData());
            }
          }
        });
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    await(ws.connect(connect(port, "v5.channel.k8s.io", TUNNELED)));
    assertEquals(TUNNELED, ws.subProtocol());
    assertEquals("sess-42", ws.headers().get("X-Kubehop-Session"), "the id echoed in the 101");
    // Messages of 2 bytes (kubectl's first was 80 03), 1 byte, 3000 bytes, and one whole 16 MiB
    // SPDY frame.
    byte[] big = random(TunnelingHandler.MAX_MESSAGE, 7);
    byte[][] messages = {{(byte) 0x80, 0x03}, {0x00}, random(3000, 1), big};
    Buffer sent = Buffer.buffer();
    for (byte[] m : messages) {
      sent.appendBytes(m);
      ws.writeBinaryMessage(Buffer.buffer(m));
    }
    int expected = 5 + sent.length();
    Await.until(
        () ->
            "the echo, "
                + received.length()
                + " of "
                + expected
                + " bytes, hops "
                + registry.active(),
        Await.DEFAULT_DEADLINE,
        () -> {
          synchronized (received) {
            return received.length() >= expected;
          }
        });
    synchronized (received) {
      assertEquals("early", received.getString(0, 5));
      assertTrue(received.getBuffer(5, received.length()).equals(sent), "byte-exact echo");
    }

    String head = backendHeads.poll(5, TimeUnit.SECONDS);
    assertTrue(head.startsWith("POST /portforward/ns/pod?x=1 HTTP/1.1\r\n"), head);
    assertTrue(head.contains("\r\nUpgrade: SPDY/3.1\r\n"), head);
    assertTrue(head.contains("\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n"), head);
    assertTrue(head.contains("\r\nContent-Length: 0\r\n"), head);
    assertTrue(head.toLowerCase().contains("\r\nconnection: upgrade\r\n"), head);
    assertFalse(head.toLowerCase().contains("sec-websocket"), head);
    assertFalse(head.toLowerCase().contains("websocket"), head);
    assertTrue(head.contains("\r\nX-Forwarded-For: 127.0.0.1\r\n"), head);
    assertTrue(head.endsWith("\r\nX-Kubehop-Session: sess-42\r\n\r\n"), head);

    HopSession hop = await(tunnels.poll(5, TimeUnit.SECONDS));
    assertEquals(HopSession.Kind.TUNNELED, hop.kind());
    assertEquals(
        "tunneled websocket SPDY/3.1+portforward.k8s.io -> SPDY/3.1 portforward.k8s.io",
        hop.describe());
    assertEquals("sess-42", hop.id());
    assertEquals(1, registry.size());
    assertEquals(sent.length(), hop.bytesUp());
    assertEquals(expected, hop.bytesDown());

    // Client close (1000) = EOF: the backend sees its end, then the hop is gone.
    ws.close((short) 1000);
    backendSawEnd.get(10, TimeUnit.SECONDS);
    assertEquals((short) 1000, closed.get(10, TimeUnit.SECONDS));
    await(hop.closeFuture());
    Await.until("an empty hop registry", () -> registry.size() == 0);
  }

  /**
   * A WebSocket client on a plain socket with a small receive buffer that reads nothing until told:
   * back-pressure reaches the proxy through TCP only, with no client-side queue that could absorb
   * the megabyte.
   */
  private static final class RawWebSocket implements AutoCloseable {
    private final Socket socket = new Socket();
    private final DataInputStream in;
    private final OutputStream out;
    final String head;

    RawWebSocket(int port) throws IOException {
      socket.setReceiveBufferSize(SOCKET_BUFFER);
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket.setSoTimeout(10_000);
      out = socket.getOutputStream();
      out.write(
          ("GET /api/v1/namespaces/ns/pods/pod/portforward HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: "
                  + TUNNELED
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      in = new DataInputStream(socket.getInputStream());
      StringBuilder b = new StringBuilder();
      while (!b.toString().endsWith("\r\n\r\n")) {
        b.append((char) in.readUnsignedByte());
      }
      head = b.toString();
    }

    /**
     * Reads binary payloads until the close frame, answers it, and returns the payloads and the
     * close code.
     */
    Map.Entry<byte[], Integer> readToClose() throws IOException {
      ByteArrayOutputStream payloads = new ByteArrayOutputStream();
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = in.readUnsignedShort();
        } else if (len == 127) {
          len = in.readLong();
        }
        byte[] payload = in.readNBytes((int) len);
        int opcode = b0 & 0x0f;
        if (opcode == 2 || opcode == 0) {
          payloads.write(payload);
        } else if (opcode == 8) {
          out.write(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, payload[0], payload[1]});
          out.flush();
          return Map.entry(
              payloads.toByteArray(), ((payload[0] & 0xff) << 8) | (payload[1] & 0xff));
        } else {
          throw new IOException("unexpected opcode " + opcode);
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void slowClientStallsTheBackendAndGetsEveryByteThenClose1000() throws Exception {
    byte[] payload = random(4 << 20, 3);
    CompletableFuture<Void> stalled = new CompletableFuture<>();
    int port =
        tunnel(
            backend(
                socket -> {
                  socket.write(SPDY_101);
                  int[] sent = {0};
                  Runnable pump =
                      new Runnable() {
                        @Override
                        public void run() {
                          Future<Void> last = Future.succeededFuture();
                          while (sent[0] < payload.length) {
                            if (socket.writeQueueFull()) {
                              stalled.complete(null);
                              socket.drainHandler(v -> run());
                              return;
                            }
                            int n = Math.min(16 * 1024, payload.length - sent[0]);
                            last = socket.write(Buffer.buffer().appendBytes(payload, sent[0], n));
                            sent[0] += n;
                          }
                          // EOF after the last byte: the client must get all of it, then close
                          // 1000. Only once it is written: closing with writes still queued drops
                          // them (this backend once lost exactly its 64 KiB high-water mark that
                          // way, which looked like a loss in the proxy). And only once: the last
                          // writes can fill the queue again, and a drain handler still set would
                          // run this pump a second time with nothing to write, ending the socket
                          // at once while the tail was still queued (it lost 192 KiB so, once).
                          socket.drainHandler(null);
                          last.onComplete(v -> socket.end());
                        }
                      };
                  pump.run();
                }));
    try (RawWebSocket ws = new RawWebSocket(port)) {
      assertTrue(ws.head.startsWith("HTTP/1.1 101 "), ws.head);
      assertTrue(
          ws.head
              .toLowerCase()
              .contains("\r\nsec-websocket-protocol: " + TUNNELED.toLowerCase() + "\r\n"),
          ws.head);
      HopSession hop = await(tunnels.poll(5, TimeUnit.SECONDS));
      stalled.get(10, TimeUnit.SECONDS);
      assertStaysBelow(
          hop::bytesDown,
          1 << 20,
          Duration.ofSeconds(1),
          "the proxy's reads from the backend while the client does not read");
      Map.Entry<byte[], Integer> got = ws.readToClose();
      assertEquals(1000, got.getValue());
      assertArrayEquals(
          payload,
          got.getKey(),
          () -> "byte-exact after the stall, then close 1000; proxy read " + hop.bytesDown());
      await(hop.closeFuture());
      assertEquals(payload.length, hop.bytesDown());
      assertEquals(
          SessionEnd.Side.BACKEND, hop.ended().orElseThrow().first(), "its EOF came first");
      assertEquals(SessionEnd.How.CLOSED, hop.ended().orElseThrow().how());
    }
    Await.until("an empty hop registry", () -> registry.size() == 0);
  }

  @Test
  void backendThatDoesNotReadStallsTheClient() throws Exception {
    byte[] payload = random(4 << 20, 5);
    CompletableFuture<Void> release = new CompletableFuture<>();
    CompletableFuture<byte[]> atBackend = new CompletableFuture<>();
    // A plain-socket backend that reads nothing until released, then everything up to EOF.
    ServerSocket server = new ServerSocket();
    server.setReceiveBufferSize(SOCKET_BUFFER);
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    Thread backend =
        new Thread(
            () -> {
              try (server;
                  Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                  head.append((char) in.read());
                }
                backendHeads.add(head.toString());
                socket.getOutputStream().write(SPDY_101.getBytes(StandardCharsets.ISO_8859_1));
                release.get(20, TimeUnit.SECONDS);
                atBackend.complete(in.readAllBytes());
              } catch (Exception e) {
                atBackend.completeExceptionally(e);
              }
            },
            "raw-backend");
    backend.setDaemon(true);
    backend.start();
    int port = tunnel(server.getLocalPort());
    WebSocket ws = await(client().connect(connect(port, TUNNELED)));
    HopSession hop = await(tunnels.poll(5, TimeUnit.SECONDS));
    CompletableFuture<Void> clientStalled = new CompletableFuture<>();
    int[] sent = {0};
    vertx.runOnContext(
        v ->
            new Runnable() {
              @Override
              public void run() {
                while (sent[0] < payload.length) {
                  if (ws.writeQueueFull()) {
                    clientStalled.complete(null);
                    ws.drainHandler(d -> run());
                    return;
                  }
                  int n =
                      Math.min(
                          10_000,
                          payload.length - sent[0]); // not a divisor of anything the backend reads
                  ws.writeBinaryMessage(Buffer.buffer().appendBytes(payload, sent[0], n));
                  sent[0] += n;
                }
                ws.close((short) 1000);
              }
            }.run());
    clientStalled.get(10, TimeUnit.SECONDS);
    assertStaysBelow(
        hop::bytesUp,
        1 << 20,
        Duration.ofSeconds(1),
        "the proxy's reads from the client while the backend does not read");
    release.complete(null);
    assertArrayEquals(
        payload, atBackend.get(10, TimeUnit.SECONDS), "byte-exact after the stall, then EOF");
    Await.until("an empty hop registry", () -> registry.size() == 0);
  }

  @Test
  void textMessageEndsTheTunnel() throws Exception {
    CompletableFuture<Void> backendSawEnd = new CompletableFuture<>();
    int port = tunnel(echoBackend("", backendSawEnd));
    ClientWebSocket ws = client().webSocket();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    await(ws.connect(connect(port, TUNNELED)));
    ws.writeTextMessage("not SPDY");
    assertEquals((short) 1003, closed.get(10, TimeUnit.SECONDS));
    assertEquals(TunnelingHandler.INVALID_MESSAGE, ws.closeReason());
    backendSawEnd.get(10, TimeUnit.SECONDS);
    HopSession hop = await(tunnels.poll(5, TimeUnit.SECONDS));
    assertEquals(SessionEnd.Side.SELF, hop.ended().orElseThrow().first(), "the tunnel ended it");
    Await.until("an empty hop registry", () -> registry.size() == 0);
  }

  private UpgradeRejectedException refused(int port, String... protocols) throws Exception {
    try {
      await(client().connect(connect(port, protocols)));
      throw new AssertionError("the handshake succeeded");
    } catch (ExecutionException e) {
      return assertInstanceOf(UpgradeRejectedException.class, e.getCause());
    }
  }

  @Test
  void noTunnelingProtocolIs400() throws Exception {
    int port = tunnel(1);
    UpgradeRejectedException e = refused(port, "v5.channel.k8s.io");
    assertEquals(400, e.getStatus());
    assertEquals(
        "unable to upgrade: no tunneling spdy protocols provided\n", e.getBody().toString());
    assertTrue(tunnels.poll(5, TimeUnit.SECONDS).failed());
  }

  @Test
  void backendRefusalIsRelayed() throws Exception {
    String body = "pod does not exist\n";
    int port =
        tunnel(
            backend(
                socket ->
                    socket.write(
                        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n"
                            + "Content-Length: "
                            + body.length()
                            + "\r\n\r\n"
                            + body)));
    UpgradeRejectedException e = refused(port, TUNNELED);
    assertEquals(403, e.getStatus());
    assertEquals(body, e.getBody().toString());
    assertEquals("text/plain", e.getHeaders().get("Content-Type"));
    Future<HopSession> outcome = tunnels.poll(5, TimeUnit.SECONDS);
    Await.until("the tunnel's outcome", outcome::isComplete);
    assertTrue(outcome.failed());
    assertEquals(0, registry.size());
  }

  @Test
  void backend101WithoutUpgradeHeadersIs500() throws Exception {
    CompletableFuture<Void> backendClosed = new CompletableFuture<>();
    int port =
        tunnel(
            backend(
                socket -> {
                  socket.closeHandler(v -> backendClosed.complete(null));
                  socket.write(
                      "HTTP/1.1 101 Switching Protocols\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n");
                }));
    UpgradeRejectedException e = refused(port, TUNNELED);
    assertEquals(500, e.getStatus());
    assertEquals(
        "unable to upgrade: missing upgrade headers in response\n", e.getBody().toString());
    backendClosed.get(10, TimeUnit.SECONDS);
    assertEquals(0, registry.size());
  }
}
