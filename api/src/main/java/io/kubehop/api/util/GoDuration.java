package io.kubehop.api.util;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written and printed as Go's {@code time.Duration} does ({@code 10s}, {@code 1m30s},
 * {@code 500ms}).
 */
public final class GoDuration {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {
    throw new AssertionError("No instances.");
  }

  /** Parses {@code 40s}, {@code 1m}, {@code 500ms}, {@code 1h2m3s}; a bare {@code 0} is zero. */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(text);
    int at = 0;
    long nanos = 0;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
      }
      double value = Double.parseDouble(m.group(1));
      nanos += (long) (value * unitNanos(m.group(2)));
      at = m.end();
    }
    return Duration.ofNanos(nanos);
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    };
  }

  /** Formats like Go: {@code 10s}, {@code 5m0s}, {@code 1h0m0s}, {@code 500ms}, {@code 1.5s}. */
  public static String format(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long secMillis = millis % 60_000;
    String seconds =
        secMillis % 1000 == 0
            ? Long.toString(secMillis / 1000)
            : stripZeros(String.format(Locale.ROOT, "%d.%03d", secMillis / 1000, secMillis % 1000));
    if (hours > 0) {
      return hours + "h" + minutes + "m" + seconds + "s";
    }
    if (minutes > 0) {
      return minutes + "m" + seconds + "s";
    }
    return seconds + "s";
  }

  private static String stripZeros(String s) {
    return s.replaceAll("0+$", "");
  }
}
