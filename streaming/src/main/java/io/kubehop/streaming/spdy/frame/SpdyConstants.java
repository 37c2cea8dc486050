package io.kubehop.streaming.spdy.frame;

/**
 * SPDY/3.1 wire constants, as moby/spdystream (the peer of every kubectl) speaks them. Integers are
 * big-endian.
 *
 * <pre>
 * Control frame (8-byte header)            Data frame (8-byte header)
 * +-+--------------+---------------+       +-+-----------------------------+
 * |1| version (3)  | type (u16)    |       |0| stream id (31 bits)         |
 * +-+--------------+---------------+       +-+-------------+---------------+
 * | flags (u8) | length (u24)      |       | flags (u8)  | length (u24)    |
 * +------------+-------------------+       +-------------+-----------------+
 * | type-specific body ...         |       | payload ...                   |
 * </pre>
 */
public final class SpdyConstants {

  /**
   * The only version kubehop sends; incoming versions are not checked, as spdystream does not check
   * them.
   */
  public static final int VERSION = 3;

  /** Size of every frame header. */
  public static final int HEADER_SIZE = 8;

  /** Largest payload a frame's 24-bit length can describe ({@code MaxDataLength} in spdystream). */
  public static final int MAX_LENGTH = 0xFFFFFF;

  /** Largest stream id (31 bits). */
  public static final int MAX_STREAM_ID = 0x7FFFFFFF;

  public static final int TYPE_SYN_STREAM = 1;
  public static final int TYPE_SYN_REPLY = 2;
  public static final int TYPE_RST_STREAM = 3;
  public static final int TYPE_SETTINGS = 4;

  /**
   * NOOP (SPDY/2) and CREDENTIAL (10) are not listed: spdystream treats them as fatal, so they are
   * never sent.
   */
  public static final int TYPE_PING = 6;

  public static final int TYPE_GOAWAY = 7;
  public static final int TYPE_HEADERS = 8;
  public static final int TYPE_WINDOW_UPDATE = 9;

  /** FIN on DATA, SYN_STREAM, SYN_REPLY and HEADERS: the sender's half of the stream is closed. */
  public static final int FLAG_FIN = 0x01;

  /**
   * UNIDIRECTIONAL on SYN_STREAM: the receiver's half is closed from the start (unused by
   * Kubernetes).
   */
  public static final int FLAG_UNIDIRECTIONAL = 0x02;

  /** CLEAR_SETTINGS on SETTINGS. */
  public static final int FLAG_CLEAR_SETTINGS = 0x01;

  private SpdyConstants() {
    throw new AssertionError("No instances.");
  }
}
