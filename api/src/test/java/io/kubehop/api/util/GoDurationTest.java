package io.kubehop.api.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
    "10s,10000",
    "1m,60000",
    "500ms,500",
    "1m30s,90000",
    "1h,3600000",
    "1.5s,1500",
    "0,0"
  })
  void parsesGoDurations(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), GoDuration.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "s", "10x", "1m-1s"})
  void rejectsOthers(String text) {
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
  }

  @ParameterizedTest
  @CsvSource({
    "10000,10s",
    "20000,20s",
    "300000,5m0s",
    "80000,1m20s",
    "3600000,1h0m0s",
    "500,500ms",
    "1500,1.5s"
  })
  void formatsLikeGo(long millis, String text) {
    assertEquals(text, GoDuration.format(Duration.ofMillis(millis)));
  }
}
