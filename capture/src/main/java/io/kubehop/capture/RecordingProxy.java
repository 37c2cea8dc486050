package io.kubehop.capture;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A TCP proxy that copies bytes unchanged between each client connection and a fresh connection to
 * the upstream, and shows them to a {@link ConnectionRecorder} on the way. Plain TCP, because
 * kubehop's apiserver speaks plain HTTP/1.1; and because the proxy never parses what it forwards,
 * what kubectl and the server see is exactly what they would see without it. Recorded connections
 * are numbered in the order their upgrade succeeded: {@code OUT/spdy/001-exec.hex}, {@code
 * OUT/ws/002-exec.hex}, …
 *
 * <p>Blocking sockets and two threads per connection: a capture serves a handful of connections,
 * and a thread that reads, records and then writes keeps each direction's order without any event
 * loop.
 */
final class RecordingProxy implements Closeable {

  private final InetSocketAddress listen;
  private final InetSocketAddress upstream;
  private final Path out;
  private final Consumer<String> log;
  private final AtomicInteger recorded = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private ServerSocket server;

  RecordingProxy(
      InetSocketAddress listen, InetSocketAddress upstream, Path out, Consumer<String> log) {
    this.listen = listen;
    this.upstream = upstream;
    this.out = out;
    this.log = log;
  }

  /** Binds and starts accepting; returns the port bound (useful with port 0). */
  int start() throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(listen);
    Thread acceptor = new Thread(this::acceptLoop, "capture-accept");
    acceptor.start();
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket up = new Socket();
      try {
        up.connect(upstream, 10_000);
      } catch (IOException e) {
        log.accept("upstream " + upstream + " refused a connection: " + e.getMessage());
        closeQuietly(client);
        closeQuietly(up);
        continue;
      }
      splice(client, up);
    }
  }

  private void splice(Socket client, Socket up) {
    open.add(client);
    open.add(up);
    ConnectionRecorder recorder = new ConnectionRecorder(this::next, log);
    AtomicInteger running = new AtomicInteger(2);
    Runnable ended =
        () -> {
          if (running.decrementAndGet() == 0) {
            closeQuietly(client);
            closeQuietly(up);
            open.remove(client);
            open.remove(up);
            recorder.onClosed();
          }
        };
    pump(client, up, Direction.CLIENT_TO_SERVER, recorder, ended);
    pump(up, client, Direction.SERVER_TO_CLIENT, recorder, ended);
  }

  /**
   * Copies {@code from} to {@code to}, recording first, so that the file never shows a reply before
   * its cause.
   */
  private static void pump(
      Socket from, Socket to, Direction direction, ConnectionRecorder recorder, Runnable ended) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try {
                // Not try-with-resources: closing a socket's stream closes the socket, and the
                // other direction may go on.
                InputStream in = from.getInputStream();
                OutputStream sink = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                  recorder.onBytes(direction, buf, 0, n);
                  sink.write(buf, 0, n);
                }
                // A clean end passes on as a half-close, as it would have reached the other side
                // without the proxy.
                to.shutdownOutput();
              } catch (IOException e) {
                closeQuietly(from);
                closeQuietly(to);
              } finally {
                ended.run();
              }
            },
            "capture-" + direction.wire());
    t.setDaemon(true);
    t.start();
  }

  private Path next(String kind, String verb) {
    return out.resolve(kind)
        .resolve(String.format("%03d-%s.hex", recorded.incrementAndGet(), verb));
  }

  @Override
  public void close() {
    closeQuietly(server);
    open.forEach(RecordingProxy::closeQuietly);
  }

  private static void closeQuietly(Closeable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
  }
}
