package io.kubehop.streaming.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one Connection/Upgrade check, over Vert.x's headers and Netty's alike. */
class UpgradeHeadersTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            Named.of("kubectl's SPDY upgrade", new String[] {"Upgrade", "SPDY/3.1"}),
            true,
            true,
            false),
        Arguments.of(Named.of("any case", new String[] {"UPGRADE", "spdy/3.1"}), true, true, false),
        Arguments.of(
            Named.of("a token among others", new String[] {"keep-alive, Upgrade", "SPDY/3.1"}),
            true,
            true,
            false),
        Arguments.of(
            Named.of("a WebSocket handshake", new String[] {"Upgrade", "websocket"}),
            true,
            false,
            true),
        Arguments.of(
            Named.of("protocols listed", new String[] {"Upgrade", "h2c, WebSocket"}),
            true,
            false,
            true),
        Arguments.of(
            Named.of("a longer token is not the token", new String[] {"upgraded", "SPDY/3.1"}),
            false,
            false,
            false),
        Arguments.of(
            Named.of("another SPDY version", new String[] {"Upgrade", "SPDY/3"}),
            true,
            false,
            false),
        Arguments.of(Named.of("no Upgrade", new String[] {"Upgrade", null}), true, false, false),
        Arguments.of(
            Named.of("no Connection", new String[] {null, "SPDY/3.1"}), false, false, false),
        Arguments.of(
            Named.of("a plain request", new String[] {"close", null}), false, false, false));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void vertxAndNettyHeaders(
      String[] connectionAndUpgrade, boolean upgrade, boolean spdy, boolean webSocket) {
    MultiMap vertx = MultiMap.caseInsensitiveMultiMap();
    HttpHeaders netty = new DefaultHttpHeaders();
    if (connectionAndUpgrade[0] != null) {
      vertx.add("connection", connectionAndUpgrade[0]);
      netty.add("Connection", connectionAndUpgrade[0]);
    }
    if (connectionAndUpgrade[1] != null) {
      vertx.add("upgrade", connectionAndUpgrade[1]);
      netty.add("Upgrade", connectionAndUpgrade[1]);
    }
    for (Function<String, List<String>> headers :
        List.<Function<String, List<String>>>of(vertx::getAll, netty::getAll)) {
      assertEquals(upgrade, UpgradeHeaders.isUpgrade(headers));
      assertEquals(spdy, UpgradeHeaders.isUpgradeTo(headers, UpgradeHeaders.SPDY_31));
      assertEquals(webSocket, UpgradeHeaders.isUpgradeTo(headers, UpgradeHeaders.WEBSOCKET));
    }
  }

  /** A value on a later line counts too (a proxy may add its own {@code Connection} line). */
  @ParameterizedTest
  @MethodSource("cases")
  void everyLineCounts(
      String[] connectionAndUpgrade, boolean upgrade, boolean spdy, boolean webSocket) {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap().add("Connection", "keep-alive").add("Upgrade", "h2c");
    if (connectionAndUpgrade[0] != null) {
      headers.add("Connection", connectionAndUpgrade[0]);
    }
    if (connectionAndUpgrade[1] != null) {
      headers.add("Upgrade", connectionAndUpgrade[1]);
    }
    assertEquals(spdy, UpgradeHeaders.isUpgradeTo(headers::getAll, UpgradeHeaders.SPDY_31));
  }
}
