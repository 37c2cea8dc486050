package io.kubehop.kubelet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange written by hand, for requests the JDK client will not send (an upgrade, as
 * kubectl's SPDY POST); also tells whether the server closed the connection after its answer.
 */
final class RawHttp {

  /** An upgrade request as kubectl sends it for exec/attach. */
  static String spdyPost(String uri) {
    return "POST "
        + uri
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: kubectl/v1.29.0\r\nContent-Length: 0\r\n"
        + "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
        + "X-Stream-Protocol-Version: v3.channel.k8s.io\r\n\r\n";
  }

  /**
   * @param status the status code
   * @param headers lower-case names
   * @param body the body ({@code Content-Length} bytes)
   * @param closed whether the server closed the connection after the answer (seen within 5 s)
   */
  record Response(int status, Map<String, List<String>> headers, String body, boolean closed) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : String.join(",", values);
    }
  }

  private RawHttp() {}

  static Response exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers
            .computeIfAbsent(
                lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
      List<String> length = headers.get("content-length");
      String body =
          new String(
              in.readNBytes(length == null ? 0 : Integer.parseInt(length.get(0))),
              StandardCharsets.UTF_8);
      socket.setSoTimeout(5_000);
      boolean closed;
      try {
        closed = in.read() < 0;
      } catch (SocketTimeoutException e) {
        closed = false;
      } catch (IOException e) {
        closed = true; // reset
      }
      return new Response(status, headers, body, closed);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException(
            "connection closed after " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1).trim();
  }
}
