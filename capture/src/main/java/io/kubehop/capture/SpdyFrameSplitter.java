package io.kubehop.capture;

/**
 * SPDY/3.1 frames, cut by their 8-byte common header (big-endian):
 *
 * <pre>
 * control frame                            data frame
 * +-+--------------+---------------+       +-+-----------------------------+
 * |1| version (15) | type (16)     |       |0| stream id (31)              |
 * +-+--------------+---------------+       +-+-------------+---------------+
 * | flags (8)  | length (24)       |       | flags (8)   | length (24)     |
 * +------------+-------------------+       +-------------+-----------------+
 * </pre>
 *
 * <p>The length in the low 24 bits of the second word counts the bytes after the header. A line
 * holds the whole frame, header included. Labels: control frames by type and stream id ({@code
 * syn-stream-1}, {@code syn-reply-1}, {@code rst-stream-3}, {@code headers-3}, {@code
 * window-update-0}, {@code ping-1}, {@code settings}, {@code goaway}), data frames by stream id
 * ({@code data-3}), with {@code -fin} when FLAG_FIN is set. Header blocks stay compressed: decoding
 * them would need kubehop's own SPDY codec, which these captures exist to check.
 */
final class SpdyFrameSplitter extends FrameSplitter {

  private static final int HEADER_SIZE = 8;
  private static final int FLAG_FIN = 0x01;

  @Override
  int frameSize(byte[] b, int start, int available) {
    return available < HEADER_SIZE ? -1 : HEADER_SIZE + u24(b, start + 5);
  }

  @Override
  CapturedFrame frame(byte[] b, int start, int size) {
    return new CapturedFrame(label(b, start, size), HEX.formatHex(b, start, start + size));
  }

  private static String label(byte[] b, int start, int size) {
    String fin = (b[start + 4] & FLAG_FIN) != 0 ? "-fin" : "";
    if ((b[start] & 0x80) == 0) {
      return "data-" + (i32(b, start) & 0x7fffffff) + fin;
    }
    // The first word of the body is the stream id, except in PING (an unsigned id) and GOAWAY (last
    // good stream).
    boolean hasId = size >= HEADER_SIZE + 4;
    String id = hasId ? "-" + (i32(b, start + HEADER_SIZE) & 0x7fffffff) : "";
    return switch (u16(b, start + 2)) {
      case 1 -> "syn-stream" + id + fin;
      case 2 -> "syn-reply" + id + fin;
      case 3 -> "rst-stream" + id;
      case 4 -> "settings";
      case 6 -> "ping" + (hasId ? "-" + Integer.toUnsignedString(i32(b, start + HEADER_SIZE)) : "");
      case 7 -> "goaway";
      case 8 -> "headers" + id + fin;
      case 9 -> "window-update" + id;
      default -> "control-type-" + u16(b, start + 2);
    };
  }
}
