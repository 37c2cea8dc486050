package io.kubehop.streaming.inspect;

import io.vertx.core.net.SocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the views write addresses and times. */
public final class Addresses {

  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Addresses() {
    throw new AssertionError("No instances.");
  }

  /** {@code ip:port} as {@code lsof -Pn} prints it; null for null. */
  public static String of(SocketAddress address) {
    if (address == null) {
      return null;
    }
    String host = address.hostAddress() != null ? address.hostAddress() : address.host();
    return host.contains(":") ? "[" + host + "]:" + address.port() : host + ":" + address.port();
  }

  /** RFC 3339 in UTC with milliseconds. */
  public static String time(Instant at) {
    return MILLIS.format(at);
  }
}
