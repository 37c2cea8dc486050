package io.kubehop.streaming.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.testkit.ManualClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestCacheTest {

  private final ManualClock clock = new ManualClock();
  private final RequestCache<String> cache = new RequestCache<>(clock, Duration.ofMinutes(1), 3);

  @Test
  void tokensAreEightUrlSafeCharactersAndSingleUse() {
    String token = cache.insert("exec");
    assertTrue(token.matches("[A-Za-z0-9_-]{8}"), token);
    assertEquals(Optional.of("exec"), cache.consume(token));
    assertEquals(Optional.empty(), cache.consume(token), "a replayed token is a 404");
  }

  @Test
  void tokensExpireAfterTheTtl() {
    String token = cache.insert("exec");
    clock.advance(Duration.ofSeconds(59));
    String other = cache.insert("attach");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Optional.empty(), cache.consume(token));
    assertEquals(Optional.of("attach"), cache.consume(other));
  }

  @Test
  void atMostMaxInFlightThenExpiryFreesRoom() {
    cache.insert("a");
    cache.insert("b");
    cache.insert("c");
    RequestCache.TooManyInFlightException e =
        assertThrows(RequestCache.TooManyInFlightException.class, () -> cache.insert("d"));
    assertEquals("maximum number of in-flight requests exceeded", e.getMessage());
    clock.advance(Duration.ofMinutes(1));
    cache.insert("d");
    assertEquals(1, cache.inFlight());
  }

  @Test
  void tokensAreDistinct() {
    RequestCache<Integer> big = new RequestCache<>();
    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      tokens.add(big.insert(i));
    }
    assertEquals(1000, tokens.size());
  }
}
