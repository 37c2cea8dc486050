package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.OsProcesses;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.ProcessResult;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-input corpus ({@code src/test/resources/malformed/}, one file per entry, described
 * in docs/reliability.md): each entry is sent on a raw socket to the tier it names, in the protocol
 * phase it names, and must get exactly the answer it names within a deadline, while every tier
 * stays up, no exec'd process stays behind, and every tier's fds and threads return to their
 * baseline. Beside the corpus: a slowloris request head and many concurrent half-open upgrades.
 *
 * <p>The cluster runs with {@code --request-header-timeout 3s} so that the slowloris and half-open
 * cases end in seconds (the default is upstream's 32 s).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedInputIT {

  private static final Path CORPUS = Path.of("src/test/resources/malformed");
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(3);
  private static final List<String> TIERS =
      List.of("apiserver", "kubelet-node-1", "runtime-node-1");
  private static final long SLACK = 2;

  /** What every exec of the corpus runs: a process that would outlive the test. */
  private static final String MARKER = "sleep 4300";

  private static final String EXEC_QUERY = "command=sleep&command=4300&stdin=true&stdout=true";

  /** Upgrades that finish their 101 and then send nothing, opened first and checked last. */
  private static final int SILENT_UPGRADES = 100;

  /** The runtime's stream creation timeout (upstream's DefaultStreamCreationTimeout). */
  private static final Duration STREAM_CREATION_TIMEOUT = Duration.ofSeconds(30);

  private KubehopCluster cluster;
  private int runtimePort;
  private final Map<String, Long> fds = new HashMap<>();
  private final Map<String, Long> threads = new HashMap<>();
  private final List<Socket> silent = new ArrayList<>();
  private long silentOpenedAt;

  @BeforeAll
  void up() {
    cluster = KubehopCluster.up("--request-header-timeout", HEADER_TIMEOUT.toSeconds() + "s");
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
    Matcher streaming =
        Pattern.compile("streaming=http://127\\.0\\.0\\.1:(\\d+)").matcher(cluster.logs());
    assertThat(streaming.find()).as("the runtime's streaming URL in its log").isTrue();
    runtimePort = Integer.parseInt(streaming.group(1));
    // warm-up: a good exec, so lazily made pools and connections exist before the baseline
    ProcessResult ok = cluster.kubectl("1.33").run("exec", "demo", "--", "echo", "ok");
    assertThat(ok.stdout()).as(ok.toString()).isEqualTo("ok\n");
    for (String tier : TIERS) {
      long pid = cluster.pid(tier);
      fds.put(tier, OsProcesses.count(pid, "fd"));
      threads.put(tier, OsProcesses.unpooledThreads(pid));
    }
  }

  @AfterAll
  void down() {
    silent.forEach(MalformedInputIT::closeQuietly);
    if (cluster != null) {
      cluster.close();
    }
  }

  // ---- the silent upgrades run beside everything else: their timeout is the runtime's 30 s ----

  /**
   * {@value #SILENT_UPGRADES} SPDY exec upgrades that get their 101 and then send nothing: no
   * SYN_STREAM ever comes, so the runtime's stream creation timeout (30 s, upstream's) must end
   * them. Checked by {@link #silentUpgradesAreEnded()}, the last test.
   */
  @Test
  @Order(1)
  void silentUpgradesAreOpened() throws IOException {
    silentOpenedAt = System.nanoTime();
    for (int i = 0; i < SILENT_UPGRADES; i++) {
      Socket socket = new Socket("127.0.0.1", cluster.apiserverPort());
      silent.add(socket);
      socket.setSoTimeout((int) DEADLINE.toMillis());
      socket.getOutputStream().write(spdyUpgrade(apiserverExecPath()));
    }
    for (Socket socket : silent) {
      assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 101 ");
    }
  }

  // ---- the corpus ----

  static Stream<Named<Path>> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files
          .filter(p -> p.toString().endsWith(".hex"))
          .sorted()
          .map(p -> Named.of(p.getFileName().toString(), p))
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  @Order(2)
  void entryGetsItsAnswer(Path file) throws Exception {
    Entry entry = Entry.read(file);
    String answer = answer(entry);
    assertThat(answer)
        .as("%s (%s)\n%s", file.getFileName(), entry.title, tail(cluster.logs()))
        .isEqualTo(entry.expect);
    assertTiersAlive();
    awaitMarkerGone("after " + file.getFileName());
  }

  // ---- slowloris and half-open upgrades ----

  /**
   * As many upgrade requests as the fd limits allow (at most 10,000), each stopped before the end
   * of its head, all open at once: the apiserver holds them, closes each without an answer after
   * the request-header timeout, and its fds come back.
   */
  @Test
  @Order(3)
  void halfOpenUpgradesAreClosedAfterTheHeaderTimeout() throws IOException {
    long apiserver = cluster.pid("apiserver");
    int count = halfOpenCount(apiserver);
    byte[] partial =
        ("POST " + apiserverExecPath() + " HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    List<Socket> sockets = new ArrayList<>(count);
    try {
      long before = OsProcesses.count(apiserver, "fd");
      long started = System.nanoTime();
      for (int i = 0; i < count; i++) {
        Socket socket = new Socket("127.0.0.1", cluster.apiserverPort());
        sockets.add(socket);
        socket.getOutputStream().write(partial);
      }
      long opened = Duration.ofNanos(System.nanoTime() - started).toMillis();
      long held = OsProcesses.count(apiserver, "fd") - before;
      System.out.printf(
          "half-open: %d heads opened in %d ms; the apiserver held %d more fds right after%n",
          count, opened, held);
      for (Socket socket : sockets) {
        socket.setSoTimeout((int) DEADLINE.toMillis());
        assertThat(readOrEnd(socket.getInputStream()))
            .as("a half-open head ends without an answer")
            .isEqualTo(-1);
      }
    } finally {
      sockets.forEach(MalformedInputIT::closeQuietly);
    }
    assertTiersAlive();
  }

  /** The largest number of half-open connections both this JVM and the apiserver can take. */
  private static int halfOpenCount(long apiserver) throws IOException {
    long mine = openFilesLimit("self") - OsProcesses.count(ProcessHandle.current().pid(), "fd");
    long theirs = openFilesLimit(Long.toString(apiserver)) - OsProcesses.count(apiserver, "fd");
    long room = Math.min(mine, theirs) - 1024; // headroom for everything else the two do
    int count = (int) Math.max(0, Math.min(10_000, room));
    System.out.printf(
        "half-open: fd room %d here, %d in the apiserver: %d connections%n", mine, theirs, count);
    return count;
  }

  private static long openFilesLimit(String pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", pid, "limits"))) {
      if (line.startsWith("Max open files")) {
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        return soft.equals("unlimited") ? Long.MAX_VALUE / 2 : Long.parseLong(soft);
      }
    }
    throw new IllegalStateException("no open-files limit for " + pid);
  }

  @Test
  @Order(4)
  void silentUpgradesAreEnded() {
    for (Socket socket : silent) {
      Await.until(
          "a silent upgrade ended by the stream creation timeout",
          STREAM_CREATION_TIMEOUT.plus(DEADLINE),
          () -> {
            try {
              socket.setSoTimeout(100);
              return drainToEnd(socket.getInputStream());
            } catch (IOException e) {
              return true; // reset: ended too
            }
          });
    }
    long seconds = Duration.ofNanos(System.nanoTime() - silentOpenedAt).toSeconds();
    // the client closes its end once it has read the end, as a client does: a tier that ended a
    // splice keeps its half-closed socket until then (or LingeringClose's 5 minutes)
    silent.forEach(MalformedInputIT::closeQuietly);
    System.out.printf("silent upgrades: all %d ended %d s after opening%n", silent.size(), seconds);
  }

  @Test
  @Order(5)
  void everyTierIsBackToItsBaseline() {
    assertTiersAlive();
    awaitMarkerGone("at the end");
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
    ProcessResult ok = cluster.kubectl("1.33").run("exec", "demo", "--", "echo", "ok");
    assertThat(ok.stdout()).as(ok.toString()).isEqualTo("ok\n");
  }

  // ---- sending an entry and reading its answer ----

  private String answer(Entry entry) throws IOException {
    int port =
        switch (entry.target) {
          case "apiserver" -> cluster.apiserverPort();
          case "kubelet" -> cluster.kubeletPort();
          case "runtime" -> runtimePort;
          default -> throw new IllegalArgumentException("target " + entry.target);
        };
    String host = entry.target.equals("kubelet") ? "127.0.1.1" : "127.0.0.1";
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout((int) DEADLINE.toMillis());
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      switch (entry.phase) {
        case "spdy" -> {
          String path =
              entry.target.equals("kubelet")
                  ? "/exec/default/demo/demo?" + EXEC_QUERY
                  : apiserverExecPath();
          out.write(spdyUpgrade(path));
          String head = readHead(in);
          assertThat(head).as("the upgrade's answer").startsWith("HTTP/1.1 101 ");
          send(entry, socket);
          return spdyAnswer(in, out);
        }
        case "websocket" -> {
          out.write(webSocketUpgrade());
          assertThat(readHead(in)).as("the upgrade's answer").startsWith("HTTP/1.1 101 ");
          send(entry, socket);
          try { // a masked PING "alive" (key 0): answered with a pong while the session goes on
            out.write(HexFormat.of().parseHex("898500000000616c697665"));
          } catch (IOException e) {
            // closed already: the answer is in what was read
          }
          return webSocketAnswer(in);
        }
        case "http" -> {
          CompletableFuture<Void> writer =
              CompletableFuture.runAsync(
                  () -> {
                    try {
                      send(entry, socket);
                    } catch (IOException e) {
                      // the server answered and closed while we were still writing
                    }
                  });
          String head = readHead(in);
          writer.join();
          return head.isEmpty() ? "close" : "status " + head.split(" ")[1];
        }
        case "slow" -> {
          return slowAnswer(entry, socket);
        }
        default -> throw new IllegalArgumentException("phase " + entry.phase);
      }
    }
  }

  private static void send(Entry entry, Socket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    for (Chunk chunk : entry.chunks) {
      if (chunk.eof) {
        socket.shutdownOutput();
        continue;
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream(chunk.bytes.length * chunk.repeat);
      for (int i = 0; i < chunk.repeat; i++) {
        all.writeBytes(chunk.bytes);
      }
      out.write(all.toByteArray());
    }
    out.flush();
  }

  /**
   * One byte a second, each second measured by a read that times out; returns {@code close} when
   * the server closes before the head is complete, and the elapsed seconds are checked against the
   * header timeout.
   */
  private String slowAnswer(Entry entry, Socket socket) throws IOException {
    byte[] bytes = entry.chunks.get(0).bytes;
    socket.setSoTimeout(1000);
    long start = System.nanoTime();
    for (byte b : bytes) {
      try {
        socket.getOutputStream().write(b);
      } catch (IOException e) {
        return closedAfter(start, "close");
      }
      try {
        int read = socket.getInputStream().read();
        return closedAfter(start, read < 0 ? "close" : "answered " + (char) read + "…");
      } catch (SocketTimeoutException e) {
        // a second went by: the next byte
      } catch (SocketException e) {
        return closedAfter(start, "close");
      }
    }
    return "the whole head was sent";
  }

  private static String closedAfter(long start, String answer) {
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertThat(millis)
        .as("closed after %d ms, the header timeout is %s", millis, HEADER_TIMEOUT)
        .isBetween(HEADER_TIMEOUT.toMillis() - 1000, HEADER_TIMEOUT.toMillis() + 5000);
    return answer;
  }

  /**
   * Reads SPDY frames until the first that answers: GOAWAY (then the end), RST_STREAM, a PING echo,
   * or the end. SYN_REPLY and DATA are the session working as usual and are passed over. After an
   * RST_STREAM the session must still answer a PING.
   */
  private static String spdyAnswer(DataInputStream in, OutputStream out) throws IOException {
    while (true) {
      int first;
      try {
        first = in.readInt();
      } catch (EOFException | SocketException e) {
        return "close";
      }
      int word = in.readInt();
      int flagsAndLength = word & 0xffffff;
      byte[] body = new byte[flagsAndLength];
      in.readFully(body);
      if (first >= 0) {
        continue; // DATA
      }
      int type = first & 0xffff;
      ByteBuffer b = ByteBuffer.wrap(body);
      switch (type) {
        case 3 -> {
          int stream = b.getInt() & 0x7fffffff;
          String answer = "rst_stream " + rstStatus(b.getInt()) + " on stream " + stream;
          out.write(HexFormat.of().parseHex("800300060000000400000065")); // PING 101
          String after = spdyAnswer(in, out);
          return after.equals("ping 101 echoed") ? answer : answer + ", then " + after;
        }
        case 6 -> {
          return "ping " + b.getInt() + " echoed";
        }
        case 7 -> {
          b.getInt();
          String answer = "goaway " + goAwayStatus(b.getInt());
          try {
            while (in.read(new byte[4096]) >= 0) {
              // what follows the GOAWAY until the end
            }
          } catch (SocketException e) {
            // reset: the end
          }
          return answer;
        }
        default -> {
          // SYN_REPLY, HEADERS, SETTINGS, WINDOW_UPDATE: not an answer
        }
      }
    }
  }

  private static String rstStatus(int code) {
    return switch (code) {
      case 1 -> "PROTOCOL_ERROR";
      case 2 -> "INVALID_STREAM";
      case 3 -> "REFUSED_STREAM";
      case 4 -> "UNSUPPORTED_VERSION";
      case 5 -> "CANCEL";
      case 6 -> "INTERNAL_ERROR";
      case 7 -> "FLOW_CONTROL_ERROR";
      case 8 -> "STREAM_IN_USE";
      case 9 -> "STREAM_ALREADY_CLOSED";
      default -> "status " + code;
    };
  }

  private static String goAwayStatus(int code) {
    return switch (code) {
      case 0 -> "OK";
      case 1 -> "PROTOCOL_ERROR";
      case 2 -> "INTERNAL_ERROR";
      default -> "status " + code;
    };
  }

  /** Reads server frames (never masked) until a close frame, a pong or the end. */
  private static String webSocketAnswer(DataInputStream in) throws IOException {
    while (true) {
      int first;
      try {
        first = in.readUnsignedByte();
      } catch (EOFException | SocketException e) {
        return "close";
      }
      long size = in.readUnsignedByte() & 0x7f;
      size = size == 126 ? in.readUnsignedShort() : size == 127 ? in.readLong() : size;
      byte[] payload = new byte[(int) size];
      in.readFully(payload);
      if ((first & 0x0f) == 0xa) {
        return "ws pong";
      }
      if ((first & 0x0f) == 0x8) {
        int code = payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : 1005;
        return "ws close " + code;
      }
    }
  }

  // ---- requests ----

  private String apiserverExecPath() {
    return "/api/v1/namespaces/default/pods/demo/exec?" + EXEC_QUERY;
  }

  /** kubectl's SPDY upgrade request. */
  private static byte[] spdyUpgrade(String path) {
    return ("POST "
            + path
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "User-Agent: kubehop-e2e\r\n"
            + "Content-Length: 0\r\n"
            + "Connection: Upgrade\r\n"
            + "Upgrade: SPDY/3.1\r\n"
            + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private byte[] webSocketUpgrade() {
    return ("GET "
            + apiserverExecPath()
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "User-Agent: kubehop-e2e\r\n"
            + "Connection: Upgrade\r\n"
            + "Upgrade: websocket\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The response head, or "" when the connection ended (or was reset) before a byte of it. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b;
      try {
        b = in.read();
      } catch (SocketException e) {
        b = -1;
      }
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** One read: the byte, or -1 for the end or a reset. */
  private static int readOrEnd(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketException e) {
      return -1;
    }
  }

  /** Reads what is there; true at the end, false when the read timed out. */
  private static boolean drainToEnd(InputStream in) throws IOException {
    byte[] buffer = new byte[4096];
    try {
      while (in.read(buffer) >= 0) {
        // bytes before the end (a GOAWAY)
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  // ---- checks ----

  private void awaitMarkerGone(String when) {
    Await.until(
        MARKER + " gone " + when,
        DEADLINE,
        () -> OsProcesses.descendantsRunning(cluster.pid("runtime-node-1"), MARKER).isEmpty());
  }

  private void assertTiersAlive() {
    for (String tier : TIERS) {
      assertThat(ProcessHandle.of(cluster.pid(tier)).map(ProcessHandle::isAlive))
          .as(tier + " alive\n" + tail(cluster.logs()))
          .contains(true);
    }
  }

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

  private static String tail(String logs) {
    return logs.length() <= 4000 ? logs : "…" + logs.substring(logs.length() - 4000);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  // ---- the corpus format (docs/reliability.md) ----

  /** One piece of an entry: bytes sent {@code repeat} times, or the half-close {@code eof}. */
  private record Chunk(String name, byte[] bytes, int repeat, boolean eof) {}

  private record Entry(
      String title, String target, String phase, String expect, List<Chunk> chunks) {

    private static final Pattern LINE =
        Pattern.compile("C>S (\\S+?)(?:\\*(\\d+))?(?: (\"(?:[^\"\\\\]|\\\\.)*\"|[0-9a-f]+))?");

    static Entry read(Path file) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, String> head = new LinkedHashMap<>();
      String title = null;
      List<Chunk> chunks = new ArrayList<>();
      for (String line : lines) {
        if (line.isBlank()) {
          continue;
        }
        if (line.startsWith("#")) {
          String text = line.substring(1).trim();
          if (title == null) {
            title = text;
          }
          Matcher field = Pattern.compile("(target|phase|expect): (.+)").matcher(text);
          if (field.matches()) {
            head.put(field.group(1), field.group(2).trim());
          }
          continue;
        }
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
          throw new IllegalArgumentException(file + ": not a corpus line: " + line);
        }
        if (m.group(1).equals("eof") && m.group(3) == null) {
          chunks.add(new Chunk("eof", new byte[0], 1, true));
          continue;
        }
        String value = m.group(3);
        byte[] bytes =
            value.startsWith("\"")
                ? unescape(value.substring(1, value.length() - 1))
                : HexFormat.of().parseHex(value);
        int repeat = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        chunks.add(new Chunk(m.group(1), bytes, repeat, false));
      }
      for (String key : List.of("target", "phase", "expect")) {
        if (!head.containsKey(key)) {
          throw new IllegalArgumentException(file + ": no '# " + key + ":' line");
        }
      }
      return new Entry(title, head.get("target"), head.get("phase"), head.get("expect"), chunks);
    }

    private static byte[] unescape(String text) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char next = text.charAt(++i);
        out.append(
            switch (next) {
              case 'r' -> '\r';
              case 'n' -> '\n';
              default -> next;
            });
      }
      return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
  }
}
