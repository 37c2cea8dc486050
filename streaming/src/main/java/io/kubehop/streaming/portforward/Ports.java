package io.kubehop.streaming.portforward;

import java.util.ArrayList;
import java.util.List;

/**
 * Port parsing with upstream's texts ({@code strconv.ParseUint(s, 10, 16)} and the kubelet's
 * checks), shared by the runtime's servers and the kubelet's {@code /portForward} route.
 */
public final class Ports {

  private Ports() {
    throw new AssertionError("No instances.");
  }

  /** A bad port value; the message is upstream's, e.g. {@code unable to parse "x" as a port: …}. */
  public static final class InvalidPortException extends Exception {
    InvalidPortException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses one port as the kubelet does; {@code quoted} is what the messages quote (the WebSocket
   * handler quotes the whole query value, even when it holds several comma-separated ports).
   */
  static int parse(String value, String quoted) throws InvalidPortException {
    String error = parseUint16(value);
    if (error != null) {
      throw new InvalidPortException("unable to parse \"" + quoted + "\" as a port: " + error);
    }
    int port = Integer.parseInt(value);
    if (port < 1) {
      throw new InvalidPortException("port \"" + quoted + "\" must be > 0");
    }
    return port;
  }

  /**
   * The ports of the WebSocket {@code port} query values: repeatable, each possibly
   * comma-separated.
   */
  public static List<Integer> fromQuery(List<String> values) throws InvalidPortException {
    if (values.isEmpty()) {
      throw new InvalidPortException("query parameter \"port\" is required");
    }
    List<Integer> ports = new ArrayList<>();
    for (String value : values) {
      if (value.isEmpty()) {
        throw new InvalidPortException("query parameter \"port\" cannot be empty");
      }
      for (String p : value.split(",", -1)) {
        ports.add(parse(p, value));
      }
    }
    return ports;
  }

  /** Go's ParseUint error text for base 10, 16 bits, or null when {@code s} is valid. */
  private static String parseUint16(String s) {
    String prefix = "strconv.ParseUint: parsing \"" + goQuote(s) + "\": ";
    if (s.isEmpty()) {
      return prefix + "invalid syntax";
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return prefix + "invalid syntax";
      }
    }
    String digits = s.replaceFirst("^0+(?=.)", "");
    if (digits.length() > 5 || Integer.parseInt(digits) > 0xFFFF) {
      return prefix + "value out of range";
    }
    return null;
  }

  private static String goQuote(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
