package io.kubehop.streaming.spdy;

import io.kubehop.streaming.httpstream.ConnectionClosedException;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.transport.DuplexTransport;
import io.kubehop.streaming.transport.UpgradeHeaders;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Client side of a SPDY upgrade, as client-go's round-tripper does it: writes the HTTP/1.1 request
 * head straight onto a fresh TCP connection (so the method may be POST, which Vert.x's HttpClient
 * cannot tunnel), reads the response head, and on {@code 101} starts a {@link SpdySession} in the
 * client role over the same socket, keeping any bytes that arrived with the head. Any other status
 * fails with {@link UpgradeFailedException} carrying status and body (read until close, capped), so
 * callers can report {@code unable to upgrade connection: …}.
 */
public final class SpdyDialer {

  /** Upper bound of a response head, and of the body kept from a refusal. */
  static final int MAX_HEAD = 64 * 1024;

  private SpdyDialer() {
    throw new AssertionError("No instances.");
  }

  /** The result of a successful upgrade. */
  public record Upgraded(String protocol, MultiMap responseHeaders, SpdySession session) {}

  /** A non-101 answer. */
  public static final class UpgradeFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String body;
    private final String location;

    UpgradeFailedException(int status, String body, String location) {
      super("unable to upgrade connection: " + body.trim(), null, false, false);
      this.status = status;
      this.body = body;
      this.location = location;
    }

    /** The {@code Location} header of a redirect, or null. */
    public String location() {
      return location;
    }

    public int status() {
      return status;
    }

    public String body() {
      return body;
    }
  }

  /**
   * Dials {@code host:port} and upgrades {@code method uri}, offering {@code protocols} as one
   * {@code X-Stream-Protocol-Version} line each; {@code extraHeaders} are added as they are.
   */
  public static Future<Upgraded> dial(
      Vertx vertx,
      NetClient client,
      String host,
      int port,
      String method,
      String uri,
      List<String> protocols,
      Map<String, String> extraHeaders) {
    return dial(vertx, client, host, port, null, method, uri, protocols, extraHeaders);
  }

  /**
   * As {@link #dial(Vertx, NetClient, String, int, String, String, List, Map)}, over TLS when
   * {@code tls} is true, in plain when false, as {@code client} is configured when null.
   */
  public static Future<Upgraded> dial(
      Vertx vertx,
      NetClient client,
      String host,
      int port,
      Boolean tls,
      String method,
      String uri,
      List<String> protocols,
      Map<String, String> extraHeaders) {
    StringBuilder head =
        new StringBuilder(method)
            .append(' ')
            .append(uri)
            .append(" HTTP/1.1\r\n")
            .append("Host: ")
            .append(host)
            .append(':')
            .append(port)
            .append("\r\n")
            .append("Content-Length: 0\r\nConnection: Upgrade\r\nUpgrade: ")
            .append(UpgradeHeaders.SPDY_31)
            .append("\r\n");
    protocols.forEach(
        p -> head.append(StreamHeaders.PROTOCOL_VERSION).append(": ").append(p).append("\r\n"));
    extraHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    Future<NetSocket> connecting =
        tls == null
            ? client.connect(port, host)
            : client.connect(new ConnectOptions().setHost(host).setPort(port).setSsl(tls));
    return connecting.compose(
        socket -> {
          Promise<Upgraded> result = Promise.promise();
          Buffer acc = Buffer.buffer();
          socket.handler(
              bytes -> {
                if (result.future().isComplete()) {
                  acc.appendBuffer(bytes); // refusal body
                  return;
                }
                acc.appendBuffer(bytes);
                int end = indexOfHeadEnd(acc);
                if (end < 0) {
                  if (acc.length() > MAX_HEAD) {
                    result.fail(new ProtocolException("response head too large"));
                    socket.close();
                  }
                  return;
                }
                onHead(vertx, socket, acc, end, result);
              });
          socket.closeHandler(
              v ->
                  result.tryFail(
                      new ConnectionClosedException(
                          "connection closed before the upgrade response")));
          socket.write(Buffer.buffer(head.toString(), "ISO-8859-1"));
          return result.future();
        });
  }

  private static void onHead(
      Vertx vertx, NetSocket socket, Buffer acc, int end, Promise<Upgraded> result) {
    String[] lines = acc.getString(0, end, "ISO-8859-1").split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status = statusLine.length > 1 ? parseStatus(statusLine[1]) : -1;
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
      }
    }
    Buffer rest = acc.getBuffer(end + 4, acc.length());
    if (status != 101 || !UpgradeHeaders.isUpgradeTo(headers::getAll, UpgradeHeaders.SPDY_31)) {
      Buffer body = Buffer.buffer().appendBuffer(rest);
      int length = contentLength(headers);
      Runnable fail =
          () -> {
            if (result.tryFail(
                new UpgradeFailedException(
                    status, body.toString(StandardCharsets.UTF_8), headers.get("Location")))) {
              socket.close();
            }
          };
      socket.handler(
          b -> {
            if (body.length() < MAX_HEAD) {
              body.appendBuffer(b);
            }
            if (length >= 0 && body.length() >= length) {
              fail.run();
            }
          });
      socket.closeHandler(v -> fail.run());
      if (length >= 0 && body.length() >= length) {
        fail.run();
      }
      return;
    }
    socket.pause();
    socket.closeHandler(null);
    SpdySession session =
        SpdySession.start(vertx, DuplexTransport.of(socket), SpdySession.Role.CLIENT);
    String protocol = headers.get(StreamHeaders.PROTOCOL_VERSION);
    result.complete(new Upgraded(protocol == null ? "" : protocol, headers, session));
    if (rest.length() > 0) {
      session.feed(rest); // frames that came in the same read as the 101
    }
    socket.resume();
  }

  private static int contentLength(MultiMap headers) {
    String v = headers.get("Content-Length");
    return v == null ? -1 : Math.min(parseStatus(v), MAX_HEAD);
  }

  private static int parseStatus(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int indexOfHeadEnd(Buffer b) {
    for (int i = 0; i + 3 < b.length(); i++) {
      if (b.getByte(i) == '\r'
          && b.getByte(i + 1) == '\n'
          && b.getByte(i + 2) == '\r'
          && b.getByte(i + 3) == '\n') {
        return i;
      }
    }
    return -1;
  }
}
