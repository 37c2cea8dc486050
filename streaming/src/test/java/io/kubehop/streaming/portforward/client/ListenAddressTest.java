package io.kubehop.streaming.portforward.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubehop.streaming.portforward.client.ListenAddress.FailureMode;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** client-go's {@code parseAddresses}, and the lines kubectl prints for addresses and errors. */
class ListenAddressTest {

  @Test
  void localhostIsBothLoopbacksAndFailsOnlyWhenBothFail() {
    assertEquals(
        List.of(
            new ListenAddress("127.0.0.1", false, FailureMode.ALL),
            new ListenAddress("::1", true, FailureMode.ALL)),
        ListenAddress.parse(List.of("localhost")));
  }

  @Test
  void explicitAddressesAreDeduplicatedAndSortedByText() {
    assertEquals(
        List.of(
            new ListenAddress("0.0.0.0", false, FailureMode.ANY),
            new ListenAddress("127.0.0.1", false, FailureMode.ALL),
            new ListenAddress("::", true, FailureMode.ANY),
            new ListenAddress("::1", true, FailureMode.ALL),
            new ListenAddress("::ffff:10.0.0.1", false, FailureMode.ANY)),
        ListenAddress.parse(
            List.of("localhost", "::", "0.0.0.0", "::ffff:10.0.0.1", "localhost", "0.0.0.0")));
  }

  @Test
  void anExplicitLoopbackReplacesTheLocalhostOneAfterIt() {
    assertEquals(
        List.of(
            new ListenAddress("127.0.0.1", false, FailureMode.ANY),
            new ListenAddress("::1", true, FailureMode.ALL)),
        ListenAddress.parse(List.of("localhost", "127.0.0.1")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"foo", "1.2.3.256", "1.2.3.4.5", "", "example.com", "1.2.3"})
  void rejectsAnythingButIpLiterals(String address) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(List.of(address)));
    assertEquals(address + " is not a valid IP", e.getMessage());
  }

  @Test
  void needsAnAddress() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(List.of()));
    assertEquals("you must specify at least 1 address", e.getMessage());
  }

  @Test
  void joinsHostAndPortAsGo() {
    assertEquals(
        "127.0.0.1:8080", new ListenAddress("127.0.0.1", false, FailureMode.ALL).join(8080));
    assertEquals("[::1]:8080", new ListenAddress("::1", true, FailureMode.ALL).join(8080));
  }

  /** The line kubectl 1.33 printed for a gone pod, seen live against kubehop. */
  @Test
  void errorLinesAreKubectlsKlogLines() {
    assertEquals(
        "E1203 23:00:27.454822   13070 portforward.go:424] \"Unhandled Error\" err=\"an error"
            + " occurred forwarding 28090 -> 80: error forwarding port 80 to pod p, uid : pod"
            + " sandbox p is gone\"",
        ErrorLog.line(
            LocalDateTime.of(2026, 12, 3, 23, 0, 27, 454_822_000),
            13070,
            "an error occurred forwarding 28090 -> 80: error forwarding port 80 to pod p, uid :"
                + " pod sandbox p is gone"));
  }
}
