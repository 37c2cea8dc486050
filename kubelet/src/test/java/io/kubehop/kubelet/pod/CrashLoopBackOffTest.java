package io.kubehop.kubelet.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CrashLoopBackOffTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final CrashLoopBackOff backoff =
      new CrashLoopBackOff(Duration.ofSeconds(10), Duration.ofSeconds(40));

  @Test
  void firstRestartIsImmediateThenTheDelayDoublesUpToTheCap() {
    String key = CrashLoopBackOff.key("uid", "c");
    assertFalse(backoff.isInBackOffSince(key, T0, T0));
    backoff.next(key, T0, T0);
    assertEquals(Duration.ofSeconds(10), backoff.get(key));

    Instant exit2 = T0.plusSeconds(1);
    assertTrue(backoff.isInBackOffSince(key, exit2, exit2.plusSeconds(9)));
    assertFalse(backoff.isInBackOffSince(key, exit2, exit2.plusSeconds(10)));
    assertEquals(exit2.plusSeconds(10), backoff.restartAllowedAt(key, exit2));
    backoff.next(key, exit2, exit2.plusSeconds(10));
    assertEquals(Duration.ofSeconds(20), backoff.get(key));
    backoff.next(key, exit2.plusSeconds(31), exit2.plusSeconds(31));
    assertEquals(Duration.ofSeconds(40), backoff.get(key));
    backoff.next(key, exit2.plusSeconds(72), exit2.plusSeconds(72));
    assertEquals(Duration.ofSeconds(40), backoff.get(key), "capped");
  }

  @Test
  void aContainerThatRanLongerThanTwiceTheCapStartsOver() {
    String key = CrashLoopBackOff.key("uid", "c");
    backoff.next(key, T0, T0);
    backoff.next(key, T0.plusSeconds(11), T0.plusSeconds(11));
    Instant muchLater = T0.plusSeconds(11 + 81);
    assertFalse(backoff.isInBackOffSince(key, muchLater, muchLater));
    backoff.next(key, muchLater, muchLater);
    assertEquals(Duration.ofSeconds(10), backoff.get(key));
  }

  @Test
  void forgetPodDropsItsEntries() {
    backoff.next(CrashLoopBackOff.key("uid", "c"), T0, T0);
    backoff.next(CrashLoopBackOff.key("other", "c"), T0, T0);
    backoff.forgetPod("uid");
    assertEquals(Duration.ZERO, backoff.get(CrashLoopBackOff.key("uid", "c")));
    assertEquals(Duration.ofSeconds(10), backoff.get(CrashLoopBackOff.key("other", "c")));
  }
}
