package io.kubehop.streaming.fault;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sizes and durations of fault rules as people write them: {@code 1MiB}, {@code 512KiB}, {@code
 * 10MB}, {@code 4096}; {@code 200ms}, {@code 5s}, {@code 2m}. Binary suffixes are powers of 1024,
 * decimal ones of 1000, as in Kubernetes quantities.
 */
public final class Units {

  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

  private Units() {}

  /** Bytes; IllegalArgumentException when {@code text} is no positive size. */
  public static long bytes(String text) {
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid size \"" + text + "\" (e.g. 4096, 512KiB, 1MiB, 10MB)");
    }
    long unit =
        switch (m.group(2)) {
          case "", "b" -> 1L;
          case "k", "kb" -> 1000L;
          case "kib" -> 1L << 10;
          case "m", "mb" -> 1000_000L;
          case "mib" -> 1L << 20;
          case "g", "gb" -> 1000_000_000L;
          default -> 1L << 30;
        };
    long n = Math.round(Double.parseDouble(m.group(1)) * unit);
    if (n <= 0) {
      throw new IllegalArgumentException("size must be positive: \"" + text + "\"");
    }
    return n;
  }

  /** A duration; IllegalArgumentException when {@code text} is none. */
  public static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid duration \"" + text + "\" (e.g. 200ms, 5s, 2m, 1h)");
    }
    double n = Double.parseDouble(m.group(1));
    double millis =
        switch (m.group(2)) {
          case "ms" -> n;
          case "s" -> n * 1000;
          case "m" -> n * 60_000;
          default -> n * 3600_000;
        };
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  /** {@code bytes} as written back: {@code 1MiB}, {@code 10KiB}, else plain bytes. */
  public static String size(long bytes) {
    if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
      return bytes / (1L << 30) + "GiB";
    }
    if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
      return bytes / (1L << 20) + "MiB";
    }
    if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
      return bytes / (1L << 10) + "KiB";
    }
    return bytes + "B";
  }

  /** {@code d} as written back: {@code 200ms}, {@code 5s}, {@code 2m}. */
  public static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0 && ms > 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
