package io.kubehop.e2e.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The nginx pod's page through a forwarded local port, as curl would fetch it. */
public final class WebPage {

  private WebPage() {}

  /** One HTTP/1.0 request on a connection of its own to 127.0.0.1:{@code port}: the response. */
  public static String get(int port) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      socket
          .getOutputStream()
          .write("GET / HTTP/1.0\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
