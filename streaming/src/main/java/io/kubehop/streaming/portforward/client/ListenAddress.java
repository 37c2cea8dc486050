package io.kubehop.streaming.portforward.client;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An address a port-forward listens on (client-go's {@code listenAddress}).
 *
 * @param address the IP literal as given ({@code localhost} becomes {@code 127.0.0.1} and {@code
 *     ::1})
 * @param ipv6 whether it is an IPv6 address ({@code tcp6}); IPv4-mapped IPv6 counts as IPv4
 * @param failureMode {@link FailureMode#ALL} for the two addresses of {@code localhost}, which fail
 *     a port only when both fail; {@link FailureMode#ANY} for an address given as an IP, which
 *     fails its port alone
 */
public record ListenAddress(String address, boolean ipv6, FailureMode failureMode) {

  /** When a port's listeners count as failed. */
  public enum FailureMode {
    ALL,
    ANY
  }

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /**
   * client-go's {@code parseAddresses}: {@code localhost} or IP literals, without duplicates,
   * sorted by address text (so the {@code Forwarding from} lines come in upstream's order).
   *
   * @throws IllegalArgumentException {@code you must specify at least 1 address}, or {@code <a> is
   *     not a valid IP}
   */
  public static List<ListenAddress> parse(List<String> addresses) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("you must specify at least 1 address");
    }
    Map<String, ListenAddress> parsed = new LinkedHashMap<>();
    for (String a : addresses) {
      if (a.equals("localhost")) {
        parsed.putIfAbsent("127.0.0.1", new ListenAddress("127.0.0.1", false, FailureMode.ALL));
        parsed.putIfAbsent("::1", new ListenAddress("::1", true, FailureMode.ALL));
        continue;
      }
      InetAddress ip = parseIp(a);
      if (ip == null) {
        throw new IllegalArgumentException(a + " is not a valid IP");
      }
      parsed.put(a, new ListenAddress(a, !(ip instanceof Inet4Address), FailureMode.ANY));
    }
    List<ListenAddress> sorted = new ArrayList<>(parsed.values());
    sorted.sort(Comparator.comparing(ListenAddress::address));
    return sorted;
  }

  /**
   * {@code netutils.ParseIPSloppy}: a dotted quad (leading zeros allowed) or an IPv6 literal; never
   * a host name, so nothing is looked up.
   */
  private static InetAddress parseIp(String s) {
    try {
      if (IPV4.matcher(s).matches()) {
        for (String octet : s.split("\\.")) {
          if (Integer.parseInt(octet) > 255) {
            return null;
          }
        }
        return InetAddress.getByName(s.replaceAll("(^|\\.)0+(?=\\d)", "$1"));
      }
      if (s.contains(":") && s.matches("[0-9A-Fa-f:.]+")) {
        return InetAddress.getByName(s); // a literal: no lookup
      }
    } catch (UnknownHostException | NumberFormatException e) {
      return null;
    }
    return null;
  }

  /** {@code net.JoinHostPort}: IPv6 in brackets. */
  public String join(int port) {
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }
}
