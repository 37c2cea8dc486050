package io.kubehop.streaming.httpstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests of {@link Handshake}, after apimachinery's httpstream_test.go. */
class HandshakeTest {

  private static final List<String> SERVER =
      List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            Named.of("no header: v1 fallback", List.of()), new Handshake.Result.Accepted("")),
        Arguments.of(
            Named.of(
                "kubectl 1.27 lines",
                List.of(
                    "v4.channel.k8s.io",
                    "v3.channel.k8s.io",
                    "v2.channel.k8s.io",
                    "channel.k8s.io")),
            new Handshake.Result.Accepted("v4.channel.k8s.io")),
        Arguments.of(
            Named.of(
                "kubectl 1.29 offers v5 first", List.of("v5.channel.k8s.io", "v4.channel.k8s.io")),
            new Handshake.Result.Accepted("v4.channel.k8s.io")),
        Arguments.of(
            Named.of("client order wins", List.of("v2.channel.k8s.io", "v4.channel.k8s.io")),
            new Handshake.Result.Accepted("v2.channel.k8s.io")),
        Arguments.of(
            Named.of(
                "comma-joined", List.of("v9.channel.k8s.io, v3.channel.k8s.io,v4.channel.k8s.io")),
            new Handshake.Result.Accepted("v3.channel.k8s.io")),
        Arguments.of(
            Named.of("no overlap", List.of("a", "b")),
            new Handshake.Result.Refused(List.of("a", "b"), SERVER)),
        Arguments.of(
            Named.of("only empty values", List.of(" , ")), new Handshake.Result.Accepted("")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void negotiates(List<String> offered, Handshake.Result expected) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    offered.forEach(v -> headers.add("x-stream-protocol-version", v));
    assertEquals(expected, Handshake.handshake(headers, SERVER));
  }

  @Test
  void refusalBodyIsUpstreamsText() {
    assertEquals(
        "unable to upgrade: unable to negotiate protocol: client supports [a b], server accepts "
            + "[v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io]\n",
        new Handshake.Result.Refused(List.of("a", "b"), SERVER).body());
  }

  @Test
  void missingUpgradeHeadersMessageIsGosHeaderDump() {
    MultiMap h =
        MultiMap.caseInsensitiveMultiMap()
            .add("Host", "x")
            .add("user-agent", "kubectl")
            .add("X-Stream-Protocol-Version", "v4.channel.k8s.io")
            .add("X-Stream-Protocol-Version", "channel.k8s.io")
            .add("Connection", "Upgrade");
    assertEquals(false, UpgradeRequests.isSpdyUpgrade(h));
    assertEquals(
        "unable to upgrade: missing upgrade headers in request: http.Header{\"Connection\":[]string{"
            + "\"Upgrade\"}, \"User-Agent\":[]string{\"kubectl\"}, \"X-Stream-Protocol-Version\":[]string{"
            + "\"v4.channel.k8s.io\", \"channel.k8s.io\"}}",
        UpgradeRequests.missingUpgradeHeadersMessage(h));
    assertEquals(true, UpgradeRequests.isSpdyUpgrade(h.add("Upgrade", "SPDY/3.1")));
  }
}
