package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.OsProcesses;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.WebSocketRecorder;
import io.kubehop.testkit.WebSocketRecorder.Close;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A WebSocket {@code v5.channel.k8s.io} peer that sends malformed input to the apiserver (default
 * {@code --websocket-translation=apiserver}: the apiserver terminates the WebSocket and speaks SPDY
 * to the kubelet) gets a clean close with the status code naming its fault, the command it started
 * ends, and no tier keeps a file descriptor or a thread for it.
 *
 * <p>Every session runs a marker command ({@code sleep 42xx}) that would outlive the test, and the
 * bad input is sent only once that process runs under the runtime, so a close can only come from
 * the bad input and the marker's end shows that the close reached the runtime. The client is the
 * JDK's {@link WebSocket}; the handshake aborts and the single oversized frame are written by hand
 * on a raw socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebSocketBadInputIT {

  private static final String V5 = "v5.channel.k8s.io";
  private static final String EXEC = "/api/v1/namespaces/default/pods/demo/exec?";

  /** ChannelConnection.MAX_MESSAGE: the largest message the apiserver accepts. */
  private static final int MAX_MESSAGE = 16 * 1024 * 1024;

  /** gorilla/websocket's frame size for a message (its write buffer), how kubectl splits stdin. */
  private static final int FRAME = 32 * 1024;

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final List<String> TIERS =
      List.of("apiserver", "kubelet-node-1", "runtime-node-1");

  /**
   * Headroom over the baseline: the JIT's dynamic compiler threads and the like come and go on
   * their own.
   */
  private static final long SLACK = 2;

  private static final String UNKNOWN_CHANNEL = "sleep 4201";
  private static final String BAD_RESIZE = "sleep 4202";
  private static final String OVERSIZED = "sleep 4203";
  private static final String ABORTED_HANDSHAKE = "sleep 4204";
  private static final List<String> MARKERS =
      List.of(UNKNOWN_CHANNEL, BAD_RESIZE, OVERSIZED, ABORTED_HANDSHAKE);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private KubehopCluster cluster;

  @BeforeAll
  void up() {
    cluster = KubehopCluster.up();
    ProcessResult run =
        cluster
            .kubectl("1.33")
            .run("run", "demo", "--image=busybox", "--restart=Never", "--", "sleep", "3600");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    Pods pods = new Pods(cluster);
    Await.until(
        "demo Running",
        DEADLINE,
        () ->
            pods.pod("demo")
                .map(p -> "Running".equals(p.path("status").path("phase").asText()))
                .orElse(false));
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  // ---- the cases ----

  @Test
  @Order(1)
  void unknownChannelClosesWith1002() {
    unknownChannel();
  }

  @Test
  @Order(2)
  void resizeThatIsNotJsonClosesWith1007() {
    badResize();
  }

  /**
   * 16 MiB + 2 bytes as one message in 32 KiB frames (how gorilla/websocket, kubectl's client,
   * splits a message): 1009. A message of exactly 16 MiB in the same frames is accepted: a ping
   * sent after it is answered.
   */
  @Test
  @Order(3)
  void messageOverSixteenMebibytesClosesWith1009AndOneOfExactlySixteenDoesNot() {
    try (Peer peer = openSession(OVERSIZED, "stdin=true&stdout=true&stderr=true")) {
      // On channel 1, which the server does not read (dropped): stdin would stall on a command that
      // does not read.
      byte[] atLimit = new byte[MAX_MESSAGE];
      atLimit[0] = 1;
      peer.sendInFrames(atLimit, FRAME);
      peer.pingAndAwaitPong("after 16 MiB");
      assertThat(runningMarker(OVERSIZED)).as("%s still runs", OVERSIZED).isNotEmpty();
    }
    awaitMarkerGone(OVERSIZED, "after the client aborted");
    oversizedInFrames();
  }

  /**
   * The same message as one frame, as the JDK's client and most others send a message: 1009 too.
   *
   * <p>Fails at the time of writing with 1000 and no reason: no tier applies {@code
   * ChannelHandshake.configure} to its {@code HttpServerOptions}, so Vert.x's default 64 KiB frame
   * limit holds, Netty raises {@code CorruptedWebSocketFrameException: Max frame length of 65536
   * has been exceeded.} and {@code ChannelConnection}'s exception handler closes with 1000 (normal
   * closure).
   */
  @Test
  @Order(4)
  void oneFrameOverSixteenMebibytesClosesWith1009() throws IOException {
    assertThat(oversizedInOneFrame())
        .as("close code for one frame of 16 MiB + 2 bytes")
        .isEqualTo(1009);
  }

  /**
   * A single frame of 1 MiB, well under the 16 MiB limit, is accepted like the same bytes in 32 KiB
   * frames. Fails at the time of writing (close 1000) for the reason given at {@link
   * #oneFrameOverSixteenMebibytesClosesWith1009()}.
   */
  @Test
  @Order(5)
  void oneFrameOfOneMebibyteIsAccepted() {
    try (Peer peer = openSession(OVERSIZED, "stdin=true&stdout=true&stderr=true")) {
      byte[] message = new byte[1024 * 1024];
      message[0] = 1; // channel 1: dropped by the server
      peer.send(message);
      peer.pingAndAwaitPong("after one frame of 1 MiB");
    }
    awaitMarkerGone(OVERSIZED, "after the client aborted");
  }

  @Test
  @Order(6)
  void closeBeforeTheHandshakeFinishesLeavesNoCommandBehind() throws IOException {
    // The hand-written request is a valid upgrade: read to its end, it gets the 101 with v5.
    try (Socket socket = new Socket("127.0.0.1", cluster.apiserverPort())) {
      socket.setSoTimeout((int) DEADLINE.toMillis());
      socket.getOutputStream().write(upgradeRequest(ABORTED_HANDSHAKE));
      String head = readHead(socket.getInputStream());
      assertThat(head)
          .startsWith("HTTP/1.1 101 ")
          .containsIgnoringCase("Sec-WebSocket-Protocol: " + V5);
    }
    awaitMarkerGone(ABORTED_HANDSHAKE, "the client closed right after the 101");
    abortedHandshakes();
    assertTiersAlive();
  }

  /**
   * Every bad case five times: every tier's fds and threads come back to the baseline, and exec
   * still works.
   */
  @Test
  @Order(7)
  void badInputLeavesNothingBehind() throws IOException {
    Kubectl kubectl = cluster.kubectl("1.33");
    // Warm-up: a good exec and one round of every bad case, so lazily created event loops, pools
    // and JIT threads
    // exist before the baseline; a leak shows as growth over the five rounds after it.
    assertThat(kubectl.run("exec", "demo", "--", "echo", "ok").stdout()).isEqualTo("ok\n");
    allBadCases();
    Map<String, Long> fds = new HashMap<>();
    Map<String, Long> threads = new HashMap<>();
    for (String tier : TIERS) {
      long pid = cluster.pid(tier);
      fds.put(tier, OsProcesses.count(pid, "fd"));
      threads.put(tier, OsProcesses.unpooledThreads(pid));
    }

    for (int round = 0; round < 5; round++) {
      allBadCases();
    }

    assertTiersAlive();
    for (String tier : TIERS) {
      long pid = cluster.pid(tier);
      awaitAtMost(
          tier + " fds back to its baseline " + fds.get(tier),
          () -> OsProcesses.count(pid, "fd"),
          fds.get(tier) + SLACK);
      awaitAtMost(
          tier + " threads back to its baseline " + threads.get(tier),
          () -> OsProcesses.unpooledThreads(pid),
          threads.get(tier) + SLACK);
    }
    for (String marker : MARKERS) {
      awaitMarkerGone(marker, "after five rounds");
    }
    ProcessResult ok = kubectl.run("exec", "demo", "--", "echo", "ok");
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.stdout()).as(ok.toString()).isEqualTo("ok\n");
  }

  private void allBadCases() throws IOException {
    unknownChannel();
    badResize();
    oversizedInFrames();
    // Its close code has a test of its own (oneFrameOverSixteenMebibytesClosesWith1009); here it
    // only has to end.
    oversizedInOneFrame();
    abortedHandshakes();
  }

  // ---- one bad case each ----

  /** Channel 7 is in no protocol: protocol error 1002. */
  private void unknownChannel() {
    try (Peer peer = openSession(UNKNOWN_CHANNEL, "stdin=true&stdout=true&stderr=true")) {
      peer.send(new byte[] {0, 'h', 'i', '\n'}); // good stdin first: no close for it
      peer.send(new byte[] {7, 'x'});
      peer.assertClosedWith(1002);
    }
    awaitMarkerGone(UNKNOWN_CHANNEL, "after the 1002 close");
  }

  /** A resize that is not JSON: invalid payload data 1007. */
  private void badResize() {
    try (Peer peer = openSession(BAD_RESIZE, "stdin=true&stdout=true&tty=true")) {
      peer.send(resize("{\"Width\":80,\"Height\":24}\n")); // a good resize first: no close for it
      peer.send(resize("not json"));
      peer.assertClosedWith(1007);
    }
    awaitMarkerGone(BAD_RESIZE, "after the 1007 close");
  }

  /**
   * One binary message of 16 MiB + 2 bytes (channel 0, then 16 MiB + 1 of stdin) in 32 KiB frames:
   * 1009.
   */
  private void oversizedInFrames() {
    try (Peer peer = openSession(OVERSIZED, "stdin=true&stdout=true&stderr=true")) {
      peer.sendInFrames(new byte[MAX_MESSAGE + 2], FRAME);
      peer.assertClosedWith(1009);
    }
    awaitMarkerGone(OVERSIZED, "after the 1009 close");
  }

  /**
   * The same message as a single frame, written on a raw socket: the server closes while the client
   * is still writing, and the JDK's client then reports the broken pipe instead of the close frame
   * that arrived before it. Returns the close code the server sent, or -1 when the connection ended
   * without a close frame.
   */
  private int oversizedInOneFrame() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", cluster.apiserverPort())) {
      socket.setSoTimeout((int) DEADLINE.toMillis());
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      out.write(upgradeRequest(OVERSIZED));
      assertThat(readHead(in)).startsWith("HTTP/1.1 101 ");
      Await.until(
          OVERSIZED + " running under the runtime",
          DEADLINE,
          () -> !runningMarker(OVERSIZED).isEmpty());
      long length = MAX_MESSAGE + 2L;
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  ByteBuffer head = ByteBuffer.allocate(14);
                  head.put((byte) 0x82)
                      .put((byte) (0x80 | 127))
                      .putLong(length)
                      .putInt(0); // FIN binary, masked, key 0
                  out.write(head.array());
                  byte[] zeros =
                      new byte
                          [64 * 1024]; // channel 0 and stdin zeros; a zero key leaves them as they
                  // are
                  for (long left = length; left > 0; left -= zeros.length) {
                    out.write(zeros, 0, (int) Math.min(left, zeros.length));
                  }
                  out.flush();
                } catch (IOException e) {
                  // the server closed while we were writing: expected once it rejected the frame
                }
              });
      int code = -1;
      try {
        while (true) {
          int first = in.readUnsignedByte();
          long size = in.readUnsignedByte() & 0x7f;
          size = size == 126 ? in.readUnsignedShort() : size == 127 ? in.readLong() : size;
          byte[] payload = new byte[(int) size];
          in.readFully(payload);
          if ((first & 0x0f) == 0x8) {
            code = payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : 1005;
            break;
          }
        }
      } catch (IOException e) {
        // EOF or reset before a close frame: -1
      }
      socket.close();
      writer.join();
      awaitMarkerGone(OVERSIZED, "after one frame of 16 MiB + 2 bytes");
      return code;
    }
  }

  /**
   * The upgrade request sent whole and the socket closed before reading the answer (with a FIN,
   * then with a RST), and half of its header lines sent and the socket closed.
   */
  private void abortedHandshakes() throws IOException {
    byte[] request = upgradeRequest(ABORTED_HANDSHAKE);
    try (Socket socket = new Socket("127.0.0.1", cluster.apiserverPort())) {
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
    }
    try (Socket socket = new Socket("127.0.0.1", cluster.apiserverPort())) {
      socket.setSoLinger(true, 0); // close with a RST
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
    }
    String text = new String(request, StandardCharsets.US_ASCII);
    int half = text.indexOf("Sec-WebSocket-Key");
    try (Socket socket = new Socket("127.0.0.1", cluster.apiserverPort())) {
      socket.getOutputStream().write(Arrays.copyOf(request, half));
      socket.getOutputStream().flush();
    }
    awaitMarkerGone(ABORTED_HANDSHAKE, "after handshakes the client abandoned");
    assertTiersAlive();
  }

  // ---- helpers ----

  private static byte[] resize(String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    byte[] message = new byte[payload.length + 1];
    message[0] = 4;
    System.arraycopy(payload, 0, message, 1, payload.length);
    return message;
  }

  private static String commandQuery(String marker) {
    StringBuilder query = new StringBuilder();
    for (String arg : marker.split(" ")) {
      query.append("command=").append(arg).append('&');
    }
    return query.toString();
  }

  private byte[] upgradeRequest(String marker) {
    return ("GET "
            + EXEC
            + commandQuery(marker)
            + "stdin=true&stdout=true&stderr=true HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + cluster.apiserverPort()
            + "\r\n"
            + "User-Agent: kubehop-e2e\r\n"
            + "Connection: Upgrade\r\n"
            + "Upgrade: websocket\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Protocol: "
            + V5
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /**
   * Opens an exec WebSocket running {@code marker}, takes the server's initial empty message, and
   * waits until the marker runs under the runtime: from then on the session is established through
   * every tier.
   */
  private Peer openSession(String marker, String streams) {
    assertThat(runningMarker(marker)).as("no %s left from before", marker).isEmpty();
    URI uri =
        URI.create(
            "ws://127.0.0.1:" + cluster.apiserverPort() + EXEC + commandQuery(marker) + streams);
    Peer peer = new Peer();
    try {
      peer.ws =
          http.newWebSocketBuilder()
              .subprotocols(V5)
              .connectTimeout(DEADLINE)
              .buildAsync(uri, peer.recorder)
              .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("WebSocket handshake for " + uri + " failed\n" + cluster.logs(), e);
    }
    assertThat(peer.ws.getSubprotocol()).isEqualTo(V5);
    byte[] first = peer.nextMessage();
    assertThat(first)
        .as("the initial empty message on the lowest writable channel")
        .containsExactly(1);
    Await.until(
        marker + " running under the runtime", DEADLINE, () -> !runningMarker(marker).isEmpty());
    return peer;
  }

  private List<ProcessHandle> runningMarker(String marker) {
    return OsProcesses.descendantsRunning(cluster.pid("runtime-node-1"), marker);
  }

  private void awaitMarkerGone(String marker, String when) {
    Await.until(marker + " gone " + when, DEADLINE, () -> runningMarker(marker).isEmpty());
  }

  private void assertTiersAlive() {
    for (String tier : TIERS) {
      assertThat(ProcessHandle.of(cluster.pid(tier)))
          .as(tier + " alive")
          .hasValueSatisfying(
              p -> assertThat(p.isAlive()).as(tier + " alive\n" + cluster.logs()).isTrue());
    }
  }

  /** Polls until {@code value} is at most {@code limit}; the failure names the last value. */
  private static void awaitAtMost(String what, LongSupplier value, long limit) {
    long[] last = {Long.MIN_VALUE};
    try {
      Await.until(
          what,
          DEADLINE,
          () -> {
            last[0] = value.getAsLong();
            return last[0] <= limit;
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": last " + last[0] + ", limit " + limit, e);
    }
  }

  /**
   * One client WebSocket, whose recorder keeps whole binary messages, the close the server sent,
   * and pongs.
   */
  private final class Peer implements AutoCloseable {

    final WebSocketRecorder recorder = new WebSocketRecorder();
    final CompletableFuture<Close> closed = recorder.closeFuture();
    WebSocket ws;

    byte[] nextMessage() {
      return recorder.nextBinary(DEADLINE);
    }

    /** Sends one binary message (one frame); a failed send shows in {@link #assertClosedWith}. */
    void send(byte[] message) {
      ws.sendBinary(ByteBuffer.wrap(message), true)
          .toCompletableFuture()
          .exceptionally(e -> null)
          .join();
    }

    /** One message as frames of at most {@code frame} bytes. */
    void sendInFrames(byte[] message, int frame) {
      for (int from = 0; from < message.length; from += frame) {
        int to = Math.min(message.length, from + frame);
        CompletableFuture<WebSocket> sent =
            ws.sendBinary(ByteBuffer.wrap(message, from, to - from), to == message.length)
                .toCompletableFuture();
        if (sent.handle((w, e) -> e == null).join() == Boolean.FALSE) {
          return; // closed by the server: assertClosedWith tells how
        }
      }
    }

    void pingAndAwaitPong(String payload) {
      try {
        ws.sendPing(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)))
            .toCompletableFuture()
            .join();
      } catch (RuntimeException e) {
        throw new AssertionError(
            "could not ping "
                + payload
                + ": the session ended (server close: "
                + (closed.isDone() ? closed.handle((c, t) -> c != null ? c : t).join() : "none")
                + ")",
            e);
      }
      String pong =
          Await.value(
              "the pong to " + payload,
              DEADLINE,
              () -> {
                if (closed.isDone()) {
                  throw new AssertionError(
                      "the server ended the session instead of answering the ping "
                          + payload
                          + ": "
                          + closed.handle((c, t) -> c != null ? c : t).join());
                }
                return recorder.pollPong();
              });
      assertThat(pong).isEqualTo(payload);
    }

    void assertClosedWith(int code) {
      Close close;
      try {
        close = closed.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new AssertionError(
            "expected a close " + code + ", the client saw an error instead\n" + cluster.logs(),
            e.getCause());
      } catch (TimeoutException e) {
        throw new AssertionError(
            "expected a close " + code + ", none within " + DEADLINE + "\n" + cluster.logs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      assertThat(close.code()).as("close code (reason %s)", close.reason()).isEqualTo(code);
    }

    /**
     * After the server's close, lets the JDK finish the closing handshake (its echo); otherwise
     * aborts.
     */
    @Override
    public void close() {
      if (ws == null) {
        return;
      }
      if (closed.isDone() && !closed.isCompletedExceptionally()) {
        Await.until("the client's close echo", DEADLINE, ws::isOutputClosed);
      } else {
        ws.abort();
      }
    }
  }
}
