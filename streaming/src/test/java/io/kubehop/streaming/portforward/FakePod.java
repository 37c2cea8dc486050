package io.kubehop.streaming.portforward;

import static io.kubehop.testkit.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The "pod" of the tests, on 127.0.0.1: port {@value #ECHO} echoes (and closes at EOF), port
 * {@value #HALF_CLOSE} reads to EOF and only then answers {@code read <n> bytes: <bytes>} (it needs
 * the half-close), port {@value #HTTP} answers every request with {@link #HTTP_BODY}, port {@value
 * #RESET} reads a little and resets the connection (RST), port {@value #SOURCE} writes {@link
 * #SOURCE_SIZE} bytes with a blocking writer and counts them ({@link #sourceWritten()}), port
 * {@value #REFUSED} has nothing listening. {@link #dialer()} maps those pod ports to the real local
 * ones.
 */
final class FakePod implements AutoCloseable {

  static final int ECHO = 80;
  static final int HALF_CLOSE = 81;
  static final int REFUSED = 82;
  static final int RESET = 83;
  static final int SOURCE = 84;

  /** A port whose dial fails as if the pod were gone ({@link PodGoneException}). */
  static final int GONE = 85;

  static final int HTTP = 8080;

  /** What port {@value #SOURCE} writes, then closes: 64 MiB of {@link #sourceByte(long)}. */
  static final long SOURCE_SIZE = 64L * 1024 * 1024;

  static final String HTTP_BODY = "hello from the pod\n";

  private final Vertx vertx;
  private final NetClient client;
  private final Map<Integer, Integer> ports = new ConcurrentHashMap<>();
  private final ServerSocket halfCloseServer;
  private final Thread halfCloseThread;
  private final ServerSocket resetServer;
  private final Thread resetThread;
  private final ServerSocket sourceServer;
  private final Thread sourceThread;
  private final AtomicLong sourceWritten = new AtomicLong();

  FakePod(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.client = vertx.createNetClient();
    NetServer echo = vertx.createNetServer().connectHandler(s -> s.pipeTo(s));
    ports.put(ECHO, await(echo.listen(0, "127.0.0.1")).actualPort());
    NetServer http =
        vertx
            .createNetServer()
            .connectHandler(
                s ->
                    s.handler(
                        b -> {
                          if (b.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                            s.end(
                                Buffer.buffer(
                                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                                        + HTTP_BODY.length()
                                        + "\r\nConnection: close\r\n\r\n"
                                        + HTTP_BODY));
                          }
                        }));
    ports.put(HTTP, await(http.listen(0, "127.0.0.1")).actualPort());
    halfCloseServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    ports.put(HALF_CLOSE, halfCloseServer.getLocalPort());
    halfCloseThread = new Thread(this::serveHalfClose, "fake-pod-half-close");
    halfCloseThread.setDaemon(true);
    halfCloseThread.start();
    resetServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    ports.put(RESET, resetServer.getLocalPort());
    resetThread = new Thread(this::serveReset, "fake-pod-reset");
    resetThread.setDaemon(true);
    resetThread.start();
    sourceServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    ports.put(SOURCE, sourceServer.getLocalPort());
    sourceThread = new Thread(this::serveSource, "fake-pod-source");
    sourceThread.setDaemon(true);
    sourceThread.start();
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ports.put(REFUSED, free.getLocalPort()); // closed at once: connecting is refused
    }
  }

  /** The local port behind pod port {@code podPort}. */
  int localPort(int podPort) {
    return ports.get(podPort);
  }

  PortDialer dialer() {
    return port -> {
      if (port == GONE) {
        return Future.failedFuture(new PodGoneException("pod sandbox x is gone"));
      }
      Integer local = ports.get(port);
      return local == null
          ? Future.failedFuture("no such port " + port)
          : client.connect(local, "127.0.0.1");
    };
  }

  private void serveHalfClose() {
    while (!halfCloseServer.isClosed()) {
      try (Socket s = halfCloseServer.accept()) {
        InputStream in = s.getInputStream();
        byte[] all = in.readAllBytes(); // to EOF: only the client's half-close gets us past this
        OutputStream out = s.getOutputStream();
        out.write(
            ("read " + all.length + " bytes: " + new String(all, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        // closed by close(), or a test's connection went away
      }
    }
  }

  private void serveReset() {
    while (!resetServer.isClosed()) {
      try (Socket s = resetServer.accept()) {
        s.getInputStream().read(new byte[4096]);
        s.setSoLinger(true, 0); // close with RST: the client side reads "connection reset by peer"
      } catch (IOException e) {
        // closed by close()
      }
    }
  }

  static byte sourceByte(long i) {
    return (byte) (i * 7 + i / 65536);
  }

  /** Bytes port {@value #SOURCE} has handed to the kernel so far (on its latest connection). */
  long sourceWritten() {
    return sourceWritten.get();
  }

  private void serveSource() {
    while (!sourceServer.isClosed()) {
      try (Socket s = sourceServer.accept()) {
        sourceWritten.set(0);
        OutputStream out = s.getOutputStream();
        byte[] chunk = new byte[64 * 1024];
        for (long at = 0; at < SOURCE_SIZE; at += chunk.length) {
          for (int i = 0; i < chunk.length; i++) {
            chunk[i] = sourceByte(at + i);
          }
          out.write(
              chunk); // blocks while nobody reads: that is the back-pressure the test looks for
          sourceWritten.addAndGet(chunk.length);
        }
      } catch (IOException e) {
        // closed by close()
      }
    }
  }

  @Override
  public void close() throws Exception {
    sourceServer.close();
    sourceThread.join(TimeUnit.SECONDS.toMillis(5));
    resetServer.close();
    resetThread.join(TimeUnit.SECONDS.toMillis(5));
    halfCloseServer.close();
    halfCloseThread.join(TimeUnit.SECONDS.toMillis(5));
  }
}
