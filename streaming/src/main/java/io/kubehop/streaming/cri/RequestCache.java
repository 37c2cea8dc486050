package io.kubehop.streaming.cri;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CRI streaming server's one-time tokens, as upstream's {@code requestCache}: {@code Exec},
 * {@code Attach} and {@code PortForward} park their request here and return a URL with the token;
 * the first request to that URL consumes it. Tokens are the first 8 characters of the base64url
 * encoding of 6 random bytes, live for one minute, and at most 1000 are in flight. Thread safe, as
 * upstream's (one lock): tokens are issued from the CRI service's threads and consumed on the
 * streaming server's event loops, each in the tick of its request.
 *
 * @param <T> the parked request
 */
final class RequestCache<T> {

  /** Upstream's {@code cacheTTL}. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(1);

  /** Upstream's {@code maxInFlight}. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 1000;

  /** Upstream's {@code tokenLen}. */
  static final int TOKEN_LENGTH = 8;

  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final Duration ttl;
  private final int maxInFlight;

  /** Insertion order is expiry order, since every entry lives for the same {@code ttl}. */
  private final LinkedHashMap<String, Entry<T>> entries = new LinkedHashMap<>();

  private record Entry<T>(T request, Instant expiry) {}

  /**
   * Thrown when {@code maxInFlight} tokens are already parked; the server maps it to gRPC
   * RESOURCE_EXHAUSTED.
   */
  public static final class TooManyInFlightException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooManyInFlightException() {
      super("maximum number of in-flight requests exceeded", null, false, false);
    }
  }

  public RequestCache() {
    this(Clock.systemUTC(), DEFAULT_TTL, DEFAULT_MAX_IN_FLIGHT);
  }

  public RequestCache(Clock clock, Duration ttl, int maxInFlight) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxInFlight = maxInFlight;
  }

  /** Parks {@code request} and returns its token. */
  public synchronized String insert(T request) {
    evictExpired();
    if (entries.size() >= maxInFlight) {
      throw new TooManyInFlightException();
    }
    String token;
    do {
      token = newToken();
    } while (entries.containsKey(token));
    entries.put(token, new Entry<>(request, clock.instant().plus(ttl)));
    return token;
  }

  /** Takes the request parked under {@code token}; empty when unknown, used or expired. */
  public synchronized Optional<T> consume(String token) {
    Entry<T> entry = entries.remove(token);
    if (entry == null || !clock.instant().isBefore(entry.expiry())) {
      return Optional.empty();
    }
    return Optional.of(entry.request());
  }

  public synchronized int inFlight() {
    evictExpired();
    return entries.size();
  }

  private void evictExpired() {
    Instant now = clock.instant();
    for (Iterator<Map.Entry<String, Entry<T>>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      if (now.isBefore(it.next().getValue().expiry())) {
        return;
      }
      it.remove();
    }
  }

  private String newToken() {
    byte[] bytes = new byte[6];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, TOKEN_LENGTH);
  }
}
