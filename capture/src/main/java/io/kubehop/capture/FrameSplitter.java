package io.kubehop.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Cuts one direction of an upgraded connection, fed in whatever pieces TCP delivers, into whole
 * frames. The bytes of a frame that is not complete yet are kept for the next {@link #feed}. Not
 * thread safe: one instance per direction.
 */
abstract class FrameSplitter {

  static final HexFormat HEX = HexFormat.of();

  private byte[] buf = new byte[16 * 1024];
  private int length;

  /** The frames these bytes complete, in wire order. */
  final List<CapturedFrame> feed(byte[] bytes, int offset, int count) {
    if (length + count > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + count));
    }
    System.arraycopy(bytes, offset, buf, length, count);
    length += count;
    List<CapturedFrame> frames = new ArrayList<>();
    int start = 0;
    int size;
    while ((size = frameSize(buf, start, length - start)) >= 0 && size <= length - start) {
      frames.add(frame(buf, start, size));
      start += size;
    }
    System.arraycopy(buf, start, buf, 0, length - start);
    length -= start;
    return frames;
  }

  /**
   * The bytes of the frame still incomplete: at the end of a connection, what the peer sent and
   * never finished.
   */
  final byte[] pending() {
    return Arrays.copyOf(buf, length);
  }

  /**
   * The whole size (header included) of the frame that starts at {@code start}, or -1 while the
   * {@code available} bytes hold less than its header.
   *
   * @throws IllegalStateException if the header announces a frame too large to hold in memory
   */
  abstract int frameSize(byte[] b, int start, int available);

  /** The frame of {@code size} bytes at {@code start}, labelled. */
  abstract CapturedFrame frame(byte[] b, int start, int size);

  static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }

  static int u24(byte[] b, int at) {
    return (b[at] & 0xff) << 16 | u16(b, at + 1);
  }

  static int i32(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | u24(b, at + 1);
  }
}
