package io.kubehop.runtime.cri;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Ids and times as the CRI carries them: 64 hex characters like containerd's, nanoseconds since the
 * epoch.
 */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** A new random 64-hex-character id. */
  public static String newId() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The first 13 characters, as crictl prints ids. */
  public static String shortId(String id) {
    return id.length() > 13 ? id.substring(0, 13) : id;
  }

  /** The clock's current time in nanoseconds since the epoch. */
  public static long nanos(Clock clock) {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
