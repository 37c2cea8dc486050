package io.kubehop.kubelet.pod;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Upstream's {@code flowcontrol.Backoff} as the kubelet uses it for restarts: the first restart is
 * immediate and arms a delay of {@code base}; an exit that comes within the current delay of the
 * last restart waits out the delay (CrashLoopBackOff), and each further restart doubles it up to
 * {@code max}. An entry untouched for twice {@code max} starts over. Keys are {@code
 * <podUid>/<container>}. Confined to the kubelet's context.
 */
final class CrashLoopBackOff {

  private record Entry(Duration backoff, Instant lastUpdate) {}

  private final Duration base;
  private final Duration max;
  private final Map<String, Entry> entries = new HashMap<>();

  CrashLoopBackOff(Duration base, Duration max) {
    this.base = base;
    this.max = max;
  }

  static String key(String podUid, String container) {
    return podUid + "/" + container;
  }

  /** True if a container that exited at {@code eventTime} must still wait before its restart. */
  boolean isInBackOffSince(String key, Instant eventTime, Instant now) {
    Entry e = entries.get(key);
    if (e == null || hasExpired(eventTime, e.lastUpdate)) {
      return false;
    }
    return Duration.between(eventTime, now).compareTo(e.backoff) < 0;
  }

  /** When a container that exited at {@code eventTime} may restart. */
  Instant restartAllowedAt(String key, Instant eventTime) {
    Entry e = entries.get(key);
    return e == null ? eventTime : eventTime.plus(e.backoff);
  }

  /** Records a restart now, arming (or doubling) the delay. */
  void next(String key, Instant eventTime, Instant now) {
    Entry e = entries.get(key);
    Duration backoff;
    if (e == null || hasExpired(eventTime, e.lastUpdate)) {
      backoff = base;
    } else {
      Duration doubled = e.backoff.multipliedBy(2);
      backoff = doubled.compareTo(max) > 0 ? max : doubled;
    }
    entries.put(key, new Entry(backoff, now));
  }

  Duration get(String key) {
    Entry e = entries.get(key);
    return e == null ? Duration.ZERO : e.backoff;
  }

  void forgetPod(String podUid) {
    entries.keySet().removeIf(k -> k.startsWith(podUid + "/"));
  }

  private boolean hasExpired(Instant eventTime, Instant lastUpdate) {
    return Duration.between(lastUpdate, eventTime).compareTo(max.multipliedBy(2)) > 0;
  }
}
