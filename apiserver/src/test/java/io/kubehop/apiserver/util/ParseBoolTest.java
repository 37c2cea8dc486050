package io.kubehop.apiserver.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.api.meta.StatusException;
import io.kubehop.api.util.GoDuration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParseBoolTest {

  @ParameterizedTest
  @ValueSource(strings = {"1", "t", "T", "TRUE", "true", "True"})
  void trueValues(String v) {
    assertTrue(ParseBool.parse(v));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "f", "F", "FALSE", "false", "False"})
  void falseValues(String v) {
    assertFalse(ParseBool.parse(v));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "tRUE", "", "2", "on"})
  void othersAreBadRequests(String v) {
    StatusException e =
        assertThrows(StatusException.class, () -> ParseBool.query("watch", v, false));
    assertEquals(400, e.code());
    assertEquals(
        "invalid value for query parameter watch: strconv.ParseBool: parsing \""
            + v
            + "\": invalid syntax",
        e.getMessage());
  }

  @Test
  void absentIsTheDefault() {
    assertTrue(ParseBool.query("x", null, true));
  }

  @Test
  void goDurations() {
    assertEquals(Duration.ofSeconds(40), GoDuration.parse("40s"));
    assertEquals(Duration.ofSeconds(90), GoDuration.parse("1m30s"));
    assertEquals(Duration.ofMillis(500), GoDuration.parse("500ms"));
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("40"));
  }
}
