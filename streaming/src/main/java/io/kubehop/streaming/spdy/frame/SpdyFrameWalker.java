package io.kubehop.streaming.spdy.frame;

import static io.kubehop.streaming.spdy.frame.SpdyConstants.HEADER_SIZE;

import io.vertx.core.buffer.Buffer;

/**
 * Walks the frame boundaries of one direction of a SPDY/3.1 connection without decoding it: no
 * header block is inflated and no payload is copied beyond the first {@code preview} bytes of each
 * frame. It is for readers beside a splice, which relays the bytes as they come and only needs to
 * know where each frame ends: the frame trace, and the splice's own check that a frame it would add
 * falls between two frames (a next hop that dies may leave a frame half sent).
 *
 * <p>Each complete frame is reported once, at its last byte, with its 8-byte header taken apart and
 * the preview. Any split of the byte stream gives the same reports. Not thread safe.
 */
public final class SpdyFrameWalker {

  /** Receives each frame once its last byte went by. */
  public interface Listener {
    /**
     * @param head the frame's 8-byte header
     * @param preview the payload's first bytes, at most the walker's preview
     */
    void onFrame(Head head, Buffer preview);
  }

  /**
   * A frame's 8-byte header.
   *
   * <pre>
   * control: |1| version(15) | type(16) |  flags(8) | length(24) |
   * data:    |0| stream id(31)          |  flags(8) | length(24) |
   * </pre>
   *
   * @param first the first 32 bits: control bit, version and type, or the DATA frame's stream id
   * @param flags the flags byte
   * @param length the payload's length
   */
  public record Head(int first, int flags, int length) {

    public boolean isControl() {
      return first < 0;
    }

    /** A control frame's type ({@link SpdyConstants#TYPE_SYN_STREAM}, …). */
    public int type() {
      return first & 0xFFFF;
    }

    /** A DATA frame's stream id. */
    public int dataStreamId() {
      return first;
    }

    public boolean fin() {
      return (flags & SpdyConstants.FLAG_FIN) != 0;
    }

    /**
     * Whether a control frame of this type opens with the stream it is about (SYN_STREAM,
     * SYN_REPLY, RST_STREAM, HEADERS, WINDOW_UPDATE).
     */
    public boolean opensWithStreamId() {
      return isControl()
          && switch (type()) {
            case SpdyConstants.TYPE_SYN_STREAM,
                SpdyConstants.TYPE_SYN_REPLY,
                SpdyConstants.TYPE_RST_STREAM,
                SpdyConstants.TYPE_HEADERS,
                SpdyConstants.TYPE_WINDOW_UPDATE ->
                true;
            default -> false;
          };
    }
  }

  private final int preview;
  private final Listener listener;
  private Buffer header = Buffer.buffer(HEADER_SIZE);
  private Buffer payload = Buffer.buffer();
  private Head head;
  private int remaining; // payload bytes still to come of the current frame, when head != null

  /**
   * @param preview how many of each payload's first bytes to keep for the listener (4 is enough for
   *     the stream id of a control frame)
   */
  public SpdyFrameWalker(int preview, Listener listener) {
    this.preview = preview;
    this.listener = listener;
  }

  /** Walks over {@code bytes}, reporting each frame that ends in them. */
  public void accept(Buffer bytes) {
    int pos = 0;
    while (pos < bytes.length()) {
      if (head == null) {
        int n = Math.min(HEADER_SIZE - header.length(), bytes.length() - pos);
        header.appendBuffer(bytes, pos, n);
        pos += n;
        if (header.length() == HEADER_SIZE) {
          head = new Head(header.getInt(0), header.getUnsignedByte(4), header.getUnsignedMedium(5));
          remaining = head.length();
          if (remaining == 0) {
            end();
          }
        }
      } else {
        int n = Math.min(remaining, bytes.length() - pos);
        int keep = Math.min(n, preview - payload.length());
        if (keep > 0) {
          payload.appendBuffer(bytes, pos, keep);
        }
        pos += n;
        remaining -= n;
        if (remaining == 0) {
          end();
        }
      }
    }
  }

  /** Whether every byte walked so far belongs to a complete frame. */
  public boolean atFrameBoundary() {
    return head == null && header.length() == 0;
  }

  private void end() {
    Head done = head;
    Buffer first = payload;
    header = Buffer.buffer(HEADER_SIZE);
    payload = Buffer.buffer();
    head = null;
    listener.onFrame(done, first);
  }
}
