package io.kubehop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatenciesTest {

  @Test
  void percentilesAreNearestRankInMicroseconds() {
    Latencies l = new Latencies(1000);
    for (int i = 1000; i >= 1; i--) {
      l.add(i * 1000L); // 1..1000 µs, out of order
    }
    assertEquals(500.0, l.percentileMicros(50));
    assertEquals(990.0, l.percentileMicros(99));
    assertEquals(999.0, l.percentileMicros(99.9));
    assertEquals(1000.0, l.percentileMicros(100));
    assertEquals("\"n\":1000,\"p50_us\":500.0,\"p99_us\":990.0,\"p999_us\":999.0", l.json());
  }

  @Test
  void noSamplesAreNullsNotNaN() {
    assertEquals(
        "\"n\":0,\"p50_us\":null,\"p99_us\":null,\"p999_us\":null", new Latencies(1).json());
  }
}
