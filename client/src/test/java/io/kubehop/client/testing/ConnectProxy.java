package io.kubehop.client.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An http proxy that only tunnels ({@code CONNECT host:port}), on 127.0.0.1 and a random port; it
 * records each request line.
 */
public final class ConnectProxy implements AutoCloseable {

  private final ServerSocket server;
  private final List<String> requestLines = new CopyOnWriteArrayList<>();

  public ConnectProxy() throws IOException {
    server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    daemon(this::acceptLoop);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public List<String> requestLines() {
    return requestLines;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        daemon(() -> tunnel(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void tunnel(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      String head = readHead(in);
      String line = head.substring(0, head.indexOf("\r\n"));
      requestLines.add(line);
      String[] parts = line.split(" ");
      OutputStream out = client.getOutputStream();
      if (!parts[0].equals("CONNECT")) {
        out.write("HTTP/1.1 405 Method Not Allowed\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      String[] hostPort = parts[1].split(":");
      try (Socket target = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
        out.write(
            "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread up = daemon(() -> copy(in, target));
        copy(target.getInputStream(), client);
        up.join();
      }
    } catch (IOException | InterruptedException e) {
      // the client or target went away
    }
  }

  private static void copy(InputStream from, Socket to) {
    try {
      from.transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // one side closed
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the end of the request head");
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static Thread daemon(Runnable body) {
    Thread thread = new Thread(body, "connect-proxy");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
