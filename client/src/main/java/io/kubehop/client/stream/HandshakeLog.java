package io.kubehop.client.stream;

import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.remotecommand.client.Upgrade;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code -v=6} for streaming commands: each upgrade's request line, the protocols offered and the
 * session id sent, then the 101 with the chosen protocol and the session id the server echoed (or
 * the refusal), with the time taken, in the shape of the REST log lines ({@code GET <url> 200 OK in
 * 3 milliseconds}).
 */
public final class HandshakeLog implements HandshakeListener {

  private final PrintStream log;
  private final String sessionId;
  private long started;
  private String request;

  public HandshakeLog(PrintStream log, String sessionId) {
    this.log = log;
    this.sessionId = sessionId;
  }

  @Override
  public void attempt(String transport, String method, String url, List<String> offered) {
    started = System.nanoTime();
    request = method + " " + url;
    String header =
        transport.equals(Upgrade.WEBSOCKET)
            ? "Sec-WebSocket-Protocol"
            : "X-Stream-Protocol-Version";
    log.println(
        request
            + " (Upgrade: "
            + (transport.equals(Upgrade.WEBSOCKET) ? "websocket" : "SPDY/3.1")
            + ", "
            + header
            + ": "
            + String.join(", ", offered)
            + ", "
            + StreamHeaders.SESSION
            + ": "
            + sessionId
            + ")");
  }

  @Override
  public void upgraded(Upgrade upgrade) {
    String echoed = upgrade.responseHeaders().get(StreamHeaders.SESSION);
    log.println(
        request
            + " 101 Switching Protocols in "
            + millis()
            + " milliseconds: protocol "
            + upgrade.protocol()
            + ", session "
            + (echoed != null ? echoed : sessionId + " (not echoed)"));
  }

  @Override
  public void failed(String transport, Throwable cause) {
    log.println(request + " failed in " + millis() + " milliseconds: " + cause.getMessage());
  }

  private long millis() {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
