package io.kubehop.streaming.portforward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Port parsing with the kubelet's messages, and the WebSocket port prefix bytes. */
class PortsTest {

  @Test
  void queryPortsRepeatAndSplitAtCommas() throws Exception {
    assertEquals(List.of(80, 443, 8080), Ports.fromQuery(List.of("80,443", "8080")));
    assertEquals(List.of(65535), Ports.fromQuery(List.of("65535")));
  }

  @Test
  void queryMessages() {
    assertEquals("query parameter \"port\" is required", message(List.of()));
    assertEquals("query parameter \"port\" cannot be empty", message(List.of("")));
    assertEquals(
        "unable to parse \"80,x\" as a port: strconv.ParseUint: parsing \"x\": invalid syntax",
        message(List.of("80,x")));
    assertEquals(
        "unable to parse \"70000\" as a port: strconv.ParseUint: parsing \"70000\": value out of range",
        message(List.of("70000")));
    assertEquals(
        "unable to parse \"-1\" as a port: strconv.ParseUint: parsing \"-1\": invalid syntax",
        message(List.of("-1")));
    assertEquals("port \"0\" must be > 0", message(List.of("0")));
  }

  @Test
  void portPrefixIsLittleEndian() {
    assertEquals("5000", hex(WebSocketPortForwarder.portPrefix(80).getBytes()));
    assertEquals("bb01", hex(WebSocketPortForwarder.portPrefix(443).getBytes()));
    assertEquals("ffff", hex(WebSocketPortForwarder.portPrefix(65535).getBytes()));
  }

  @Test
  void forwardingErrorText() {
    assertEquals(
        "error forwarding port 80 to pod p, uid u: boom",
        ForwardingError.message(80, "p", "u", new RuntimeException("boom")));
    assertEquals(
        "error forwarding port 80 to pod p, uid : boom",
        ForwardingError.message(80, "p", null, new RuntimeException("boom")));
  }

  private static String message(List<String> values) {
    return assertThrows(Ports.InvalidPortException.class, () -> Ports.fromQuery(values))
        .getMessage();
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
