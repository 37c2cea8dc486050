package io.kubehop.streaming.httpstream;

/** Header names of the streaming upgrade (apimachinery {@code httpstream} and {@code remotecommand} constants). */
public final class StreamHeaders {

  /** Client: one line per offered sub-protocol, preference order; server 101: the chosen one. */
  public static final String PROTOCOL_VERSION = "X-Stream-Protocol-Version";
  /** Server, on a failed negotiation: one line per supported sub-protocol. */
  public static final String ACCEPTED_PROTOCOL_VERSIONS = "X-Accepted-Stream-Protocol-Versions";
  /** {@code Upgrade} value of a SPDY upgrade ({@code HeaderSpdy31}). */
  public static final String SPDY_31 = "SPDY/3.1";
  /** SPDY stream header naming the stream's role ({@code error}, {@code stdin}, …); lower-case on the wire. */
  public static final String STREAM_TYPE = "streamtype";
  /** Port-forward stream headers. */
  public static final String PORT = "port";
  public static final String REQUEST_ID = "requestid";

  private StreamHeaders() {
    throw new AssertionError("No instances.");
  }
}
