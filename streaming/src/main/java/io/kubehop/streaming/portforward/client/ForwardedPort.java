package io.kubehop.streaming.portforward.client;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code LOCAL:REMOTE} pairing of a port-forward (client-go's {@code ForwardedPort}); a local
 * port of 0 asks for a free one, which {@link PortForwarder} fills in once it listens.
 */
public record ForwardedPort(int local, int remote) {

  /**
   * client-go's {@code parsePorts}, with its messages: {@code 5000} (same port both sides), {@code
   * 8888:5000}, {@code 0:5000} and {@code :5000} (a free local port).
   *
   * @throws IllegalArgumentException with upstream's message, e.g. {@code invalid port format
   *     '1:2:3'} or {@code error parsing local port 'x': strconv.ParseUint: parsing "x": invalid
   *     syntax}
   */
  public static List<ForwardedPort> parse(List<String> specs) {
    List<ForwardedPort> forwards = new ArrayList<>();
    for (String spec : specs) {
      String[] parts = spec.split(":", -1);
      String local;
      String remote;
      if (parts.length == 1) {
        local = parts[0];
        remote = parts[0];
      } else if (parts.length == 2) {
        local = parts[0].isEmpty() ? "0" : parts[0];
        remote = parts[1];
      } else {
        throw new IllegalArgumentException("invalid port format '" + spec + "'");
      }
      int localPort = parseUint16(local, "local");
      int remotePort = parseUint16(remote, "remote");
      if (remotePort == 0) {
        throw new IllegalArgumentException("remote port must be > 0");
      }
      forwards.add(new ForwardedPort(localPort, remotePort));
    }
    return forwards;
  }

  /** Go's {@code strconv.ParseUint(s, 10, 16)}, with its error text. */
  private static int parseUint16(String s, String which) {
    String prefix = "error parsing " + which + " port '" + s + "': strconv.ParseUint: parsing ";
    if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(prefix + GoQuote.quote(s) + ": invalid syntax");
    }
    String digits = s.replaceFirst("^0+(?=.)", "");
    if (digits.length() > 5 || Integer.parseInt(digits) > 0xFFFF) {
      throw new IllegalArgumentException(prefix + GoQuote.quote(s) + ": value out of range");
    }
    return Integer.parseInt(digits);
  }

  /** Go's {@code %v} of a {@code []ForwardedPort}: {@code [{8080 80} {0 81}]}. */
  public static String format(List<ForwardedPort> ports) {
    return "[" + String.join(" ", ports.stream().map(ForwardedPort::toString).toList()) + "]";
  }

  /** Go's {@code %v} of a {@code ForwardedPort}: {@code {8080 80}}. */
  @Override
  public String toString() {
    return "{" + local + " " + remote + "}";
  }
}
