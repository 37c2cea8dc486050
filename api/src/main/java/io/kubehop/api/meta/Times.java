package io.kubehop.api.meta;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * RFC 3339 timestamps as Kubernetes writes them: whole seconds for metadata, nanoseconds for CRI
 * logs.
 */
public final class Times {

  private Times() {
    throw new AssertionError("No instances.");
  }

  /** metav1.Time: {@code 2024-01-01T00:00:00Z}, truncated to seconds. */
  public static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  public static String now() {
    return format(Instant.now());
  }

  public static Instant parse(String rfc3339) {
    return rfc3339 == null ? null : OffsetDateTime.parse(rfc3339).toInstant();
  }
}
