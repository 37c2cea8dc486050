package io.kubehop.e2e;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The exec matrix with kubectl 1.30, 1.31, 1.32 and 1.33 at their defaults (WebSocket {@code
 * v5.channel.k8s.io} first), and with kubehop's own CLI on {@code --transport=spdy} and on
 * WebSocket, in each {@code --websocket-translation} mode. The kubelet → runtime leg is SPDY in all
 * of them.
 */
class ExecWebSocketIT {

  private static final String TRANSLATED =
      "(translated websocket v5.channel.k8s.io -> SPDY/3.1 v5.channel.k8s.io)";
  private static final String SPDY_SPLICE = "(splice SPDY/3.1 v5.channel.k8s.io)";

  /** One translation mode: its flag and the hops the apiserver and the kubelet log for an exec. */
  abstract class Mode extends ExecMatrix {
    private final String mode;
    private final String apiserverHop;
    private final String kubeletHop;

    private final String kubehopTransport;

    /**
     * {@code kubehopTransport}: besides {@code --transport=spdy}, the transport kubehop's own CLI
     * runs with in this mode ({@code websocket}, or {@code auto} where the apiserver refuses it).
     */
    Mode(String mode, String apiserverHop, String kubeletHop, String kubehopTransport) {
      this.mode = mode;
      this.kubehopTransport = kubehopTransport;
      this.apiserverHop = apiserverHop;
      this.kubeletHop = kubeletHop;
    }

    @Override
    String[] clusterFlags() {
      return new String[] {"--websocket-translation", mode};
    }

    @Override
    Stream<Arguments> kubectls() {
      return Stream.of(
          kubectl("kubectl 1.30", "1.30"),
          kubectl("kubectl 1.31", "1.31"),
          kubectl("kubectl 1.32", "1.32"),
          kubectl("kubectl 1.33", "1.33"),
          kubehop("spdy"),
          kubehop(kubehopTransport));
    }

    @Override
    Map<String, String> extraEnv() {
      return Map.of();
    }

    @Override
    String apiserverHop(String client) {
      return "spdy".equals(kubehopTransport(client)) ? SPDY_SPLICE : apiserverHop;
    }

    @Override
    String kubeletHop(String client) {
      return "spdy".equals(kubehopTransport(client)) ? SPDY_SPLICE : kubeletHop;
    }
  }

  /** 1.30+: the apiserver terminates the WebSocket and speaks SPDY to the kubelet. */
  @Nested
  class TranslatedByTheApiserver extends Mode {
    TranslatedByTheApiserver() {
      super("apiserver", TRANSLATED, SPDY_SPLICE, "websocket");
    }
  }

  /** 1.36: the apiserver passes the WebSocket through; the kubelet (annotated) translates. */
  @Nested
  class TranslatedByTheKubelet extends Mode {
    TranslatedByTheKubelet() {
      super("kubelet", "(splice websocket v5.channel.k8s.io)", TRANSLATED, "websocket");
    }
  }

  /** Before 1.30: the WebSocket upgrade is refused with a Status and kubectl falls back to SPDY. */
  @Nested
  class Off extends Mode {
    Off() {
      super("off", SPDY_SPLICE, SPDY_SPLICE, "auto");
    }
  }
}
