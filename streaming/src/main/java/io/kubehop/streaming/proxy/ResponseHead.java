package io.kubehop.streaming.proxy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The status line and headers of an HTTP/1.1 response as a backend sent them, parsed from raw bytes
 * so that a proxy can relay them before it decides what to do with the connection (upgradeaware.go
 * reads the backend's response head before it hijacks the client connection, because afterwards
 * errors can no longer be reported over HTTP).
 *
 * @param statusCode e.g. 101
 * @param reason the reason phrase, e.g. {@code Switching Protocols}
 * @param headers every header in the order received, names as sent
 * @param length the number of bytes of the head, including the final CRLFCRLF
 */
public record ResponseHead(
    int statusCode, String reason, List<Map.Entry<String, String>> headers, int length) {

  /**
   * Parses a head from the start of {@code bytes}. Empty when the head is not complete yet.
   *
   * @throws IllegalArgumentException when the bytes are not an HTTP/1.x response head, or the head
   *     exceeds {@code maxBytes} (the redirect peek of KEP-1558 is 16 KiB)
   */
  public static Optional<ResponseHead> parse(Buffer bytes, int maxBytes) {
    int end = indexOfHeadEnd(bytes, Math.min(bytes.length(), maxBytes + 4));
    if (end < 0) {
      if (bytes.length() > maxBytes) {
        throw new IllegalArgumentException("response head larger than " + maxBytes + " bytes");
      }
      return Optional.empty();
    }
    String head = bytes.getString(0, end, StandardCharsets.ISO_8859_1.name());
    String[] lines = head.split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
      throw new IllegalArgumentException("malformed status line: " + lines[0]);
    }
    int code;
    try {
      code = Integer.parseInt(status[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed status line: " + lines[0], e);
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("malformed header line: " + lines[i]);
      }
      headers.add(
          Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
    }
    return Optional.of(
        new ResponseHead(code, status.length > 2 ? status[2] : "", List.copyOf(headers), end + 4));
  }

  private static int indexOfHeadEnd(Buffer bytes, int limit) {
    for (int i = 0; i + 3 < limit; i++) {
      if (bytes.getByte(i) == '\r'
          && bytes.getByte(i + 1) == '\n'
          && bytes.getByte(i + 2) == '\r'
          && bytes.getByte(i + 3) == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Every value of a header, in order, matched case-insensitively. */
  public List<String> values(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return headers.stream()
        .filter(h -> h.getKey().toLowerCase(Locale.ROOT).equals(wanted))
        .map(Map.Entry::getValue)
        .toList();
  }

  /** The first value of a header, matched case-insensitively. */
  public Optional<String> header(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return headers.stream()
        .filter(h -> h.getKey().toLowerCase(Locale.ROOT).equals(wanted))
        .map(Map.Entry::getValue)
        .findFirst();
  }
}
