package io.kubehop.streaming.portforward.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** client-go's {@code parsePorts}: the accepted forms, and each rejection with its message. */
class ForwardedPortTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "5000       | 5000 | 5000",
        "8888:5000  | 8888 | 5000",
        "0:5000     | 0    | 5000",
        ":5000      | 0    | 5000",
        "00080:080  | 80   | 80",
        "65535      | 65535| 65535"
      })
  void accepts(String spec, int local, int remote) {
    assertEquals(List.of(new ForwardedPort(local, remote)), ForwardedPort.parse(List.of(spec)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1:2:3  | invalid port format '1:2:3'",
        "65536  | error parsing local port '65536': strconv.ParseUint: parsing \"65536\": value out"
            + " of range",
        "99999999999 | error parsing local port '99999999999': strconv.ParseUint: parsing"
            + " \"99999999999\": value out of range",
        "x:80   | error parsing local port 'x': strconv.ParseUint: parsing \"x\": invalid syntax",
        "+1:80  | error parsing local port '+1': strconv.ParseUint: parsing \"+1\": invalid syntax",
        "80:    | error parsing remote port '': strconv.ParseUint: parsing \"\": invalid syntax",
        "80:-1  | error parsing remote port '-1': strconv.ParseUint: parsing \"-1\": invalid syntax",
        "0      | remote port must be > 0",
        ":0     | remote port must be > 0"
      })
  void rejects(String spec, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ForwardedPort.parse(List.of(spec)));
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"a\"b\\c | \"a\\\"b\\\\c\"", "tab\tx | \"tab\\tx\""})
  void quotesAsGo(String raw, String quoted) {
    assertEquals(quoted, GoQuote.quote(raw));
  }

  @org.junit.jupiter.api.Test
  void printsAsGoPrintsTheStruct() {
    assertEquals(
        "[{8080 80} {0 81}]", ForwardedPort.format(ForwardedPort.parse(List.of("8080:80", ":81"))));
  }
}
