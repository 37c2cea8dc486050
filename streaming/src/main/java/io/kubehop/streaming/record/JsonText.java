package io.kubehop.streaming.record;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One direction of a session's bytes as the content of JSON strings, event after event: UTF-8 text,
 * a character cut between two events joined, malformed bytes as U+FFFD (as asciinema decodes a
 * terminal's output), and JSON's escapes ({@code \"}, {@code \\}, {@code \n}, {@code \u0000}…).
 *
 * <p>This is the recorder's hot path, so it writes bytes, not characters: ASCII, most of what a
 * terminal shows, goes through a table; only a run with other bytes is decoded.
 */
final class JsonText {

  /** The escape of each ASCII byte, or null where the byte stands for itself. */
  private static final byte[][] ESCAPES = new byte[128][];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = String.format("\\u%04x", c).getBytes(StandardCharsets.US_ASCII);
    }
    ESCAPES['\b'] = "\\b".getBytes(StandardCharsets.US_ASCII);
    ESCAPES['\t'] = "\\t".getBytes(StandardCharsets.US_ASCII);
    ESCAPES['\n'] = "\\n".getBytes(StandardCharsets.US_ASCII);
    ESCAPES['\f'] = "\\f".getBytes(StandardCharsets.US_ASCII);
    ESCAPES['\r'] = "\\r".getBytes(StandardCharsets.US_ASCII);
    ESCAPES['"'] = "\\\"".getBytes(StandardCharsets.US_ASCII);
    ESCAPES['\\'] = "\\\\".getBytes(StandardCharsets.US_ASCII);
  }

  private static final byte[] NONE = new byte[0];

  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private byte[] carry = NONE; // the start of a character the last call's bytes ended in
  private CharBuffer chars = CharBuffer.allocate(0);

  /**
   * Appends the escaped text of {@code bytes} to {@code out}; a cut character waits for the next.
   */
  void append(byte[] bytes, Escaped out) {
    int i = 0;
    if (carry.length == 0) {
      for (; i < bytes.length && bytes[i] >= 0; i++) {
        out.ascii(bytes[i]);
      }
      if (i == bytes.length) {
        return;
      }
    }
    byte[] rest = bytes;
    if (carry.length > 0 || i > 0) {
      rest = Arrays.copyOf(carry, carry.length + bytes.length - i);
      System.arraycopy(bytes, i, rest, carry.length, bytes.length - i);
    }
    ByteBuffer in = ByteBuffer.wrap(rest);
    if (chars.capacity() < rest.length) {
      chars = CharBuffer.allocate(rest.length); // UTF-8 never has more characters than bytes
    }
    chars.clear();
    decoder.decode(in, chars, false);
    carry = in.hasRemaining() ? Arrays.copyOfRange(rest, in.position(), rest.length) : NONE;
    out.chars(chars.array(), chars.position());
  }

  /** A growing line of escaped UTF-8. */
  static final class Escaped {
    private byte[] bytes = new byte[8192];
    private int length;

    void clear() {
      length = 0;
    }

    int length() {
      return length;
    }

    byte[] bytes() {
      return bytes;
    }

    void raw(byte[] b) {
      room(b.length);
      System.arraycopy(b, 0, bytes, length, b.length);
      length += b.length;
    }

    void raw(String ascii) {
      raw(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    void ascii(byte b) {
      byte[] escape = ESCAPES[b];
      if (escape == null) {
        room(1);
        bytes[length++] = b;
      } else {
        raw(escape);
      }
    }

    /** {@code text}, which is well-formed (lone surrogates are written as U+FFFD). */
    void text(String text) {
      chars(text.toCharArray(), text.length());
    }

    void chars(char[] text, int count) {
      room(count * 3 + 6);
      for (int i = 0; i < count; i++) {
        char c = text[i];
        if (c < 0x80) {
          ascii((byte) c);
          room((count - i) * 3 + 6);
        } else if (c < 0x800) {
          bytes[length++] = (byte) (0xC0 | (c >> 6));
          bytes[length++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c)
            && i + 1 < count
            && Character.isLowSurrogate(text[i + 1])) {
          int cp = Character.toCodePoint(c, text[++i]);
          bytes[length++] = (byte) (0xF0 | (cp >> 18));
          bytes[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          bytes[length++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          int cp = Character.isSurrogate(c) ? 0xFFFD : c;
          bytes[length++] = (byte) (0xE0 | (cp >> 12));
          bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          bytes[length++] = (byte) (0x80 | (cp & 0x3F));
        }
      }
    }

    private void room(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }
  }
}
