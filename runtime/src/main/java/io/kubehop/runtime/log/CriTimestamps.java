package io.kubehop.runtime.log;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * RFC 3339 timestamps with nanoseconds in UTC, as CRI log lines carry them
 * (2016-10-06T00:17:09.669794202Z).
 */
public final class CriTimestamps {

  /** Always nine fraction digits, so lines sort and align; Go's RFC3339Nano parser accepts it. */
  public static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

  private CriTimestamps() {}

  /** Formats an instant. */
  public static String format(Instant instant) {
    return FORMAT.format(instant);
  }

  /** The current time, formatted. */
  public static String now(Clock clock) {
    return format(clock.instant());
  }
}
