package io.kubehop.streaming.httpstream;

/**
 * Header names of the streaming upgrade (apimachinery {@code httpstream} and {@code remotecommand}
 * constants), and kubehop's session header; each has this one name in the code. The {@code
 * Connection}/{@code Upgrade} pair is {@link io.kubehop.streaming.transport.UpgradeHeaders}'.
 */
public final class StreamHeaders {

  /** Client: one line per offered sub-protocol, preference order; server 101: the chosen one. */
  public static final String PROTOCOL_VERSION = "X-Stream-Protocol-Version";

  /** Server, on a failed negotiation: one line per supported sub-protocol. */
  public static final String ACCEPTED_PROTOCOL_VERSIONS = "X-Accepted-Stream-Protocol-Versions";

  /**
   * SPDY stream header naming the stream's role ({@code error}, {@code stdin}, …); lower-case on
   * the wire.
   */
  public static final String STREAM_TYPE = "streamtype";

  /** Port-forward stream headers. */
  public static final String PORT = "port";

  public static final String REQUEST_ID = "requestid";

  /**
   * WebSocket sub-protocols: offered by the client (repeated or comma-joined), the chosen one in
   * the 101.
   */
  public static final String WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";

  /**
   * kubehop's own request header: the id of a streaming session, minted by the first tier that sees
   * the session and forwarded by every hop, so that each tier's log lines of one {@code kubectl
   * exec} can be joined.
   */
  public static final String SESSION = "X-Kubehop-Session";

  private StreamHeaders() {
    throw new AssertionError("No instances.");
  }
}
