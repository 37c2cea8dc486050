package io.kubehop.bench;

import java.util.Arrays;
import java.util.Locale;

/** Samples in nanoseconds, and their percentiles in microseconds (nearest rank). */
final class Latencies {

  private final long[] samples;
  private int count;

  Latencies(int capacity) {
    samples = new long[capacity];
  }

  void add(long nanos) {
    samples[count++] = nanos;
  }

  int count() {
    return count;
  }

  /** The {@code p}-th percentile (0 < p <= 100) in microseconds. */
  double percentileMicros(double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    // less a hair: 99.9 % of 1000 is 999, not the 999.0000000001 binary floating point makes it
    int rank = (int) Math.ceil(p / 100 * count - 1e-9);
    return sorted[Math.max(0, Math.min(count, rank) - 1)] / 1e3;
  }

  /** {@code "n":…,"p50_us":…,"p99_us":…,"p999_us":…} (inside a JSON object); nulls when empty. */
  String json() {
    if (count == 0) {
      return "\"n\":0,\"p50_us\":null,\"p99_us\":null,\"p999_us\":null";
    }
    return String.format(
        Locale.ROOT,
        "\"n\":%d,\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f",
        count,
        percentileMicros(50),
        percentileMicros(99),
        percentileMicros(99.9));
  }
}
