package io.kubehop.e2e;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The exec matrix with kubectl 1.30, 1.31 and 1.33 at their defaults (WebSocket {@code v5.channel.k8s.io} first), in
 * each {@code --websocket-translation} mode. The kubelet → runtime leg is SPDY in all of them.
 */
class ExecWebSocketIT {

  private static Stream<Arguments> webSocketKubectls() {
    return Stream.of(ExecMatrix.kubectl("kubectl 1.30", "1.30"), ExecMatrix.kubectl("kubectl 1.31", "1.31"),
        ExecMatrix.kubectl("kubectl 1.33", "1.33"));
  }

  /** 1.30+: the apiserver terminates the WebSocket and speaks SPDY to the kubelet. */
  @Nested
  class TranslatedByTheApiserver extends ExecMatrix {
    @Override
    String[] clusterFlags() {
      return new String[] {"--websocket-translation", "apiserver"};
    }

    @Override
    Stream<Arguments> kubectls() {
      return webSocketKubectls();
    }

    @Override
    Map<String, String> extraEnv() {
      return Map.of();
    }

    @Override
    String apiserverHop() {
      return "(translated websocket v5.channel.k8s.io -> SPDY/3.1 v5.channel.k8s.io)";
    }

    @Override
    String kubeletHop() {
      return "(splice SPDY/3.1 v5.channel.k8s.io)";
    }
  }

  /** 1.36: the apiserver passes the WebSocket through; the kubelet (annotated) translates. */
  @Nested
  class TranslatedByTheKubelet extends ExecMatrix {
    @Override
    String[] clusterFlags() {
      return new String[] {"--websocket-translation", "kubelet"};
    }

    @Override
    Stream<Arguments> kubectls() {
      return webSocketKubectls();
    }

    @Override
    Map<String, String> extraEnv() {
      return Map.of();
    }

    @Override
    String apiserverHop() {
      return "(splice websocket v5.channel.k8s.io)";
    }

    @Override
    String kubeletHop() {
      return "(translated websocket v5.channel.k8s.io -> SPDY/3.1 v5.channel.k8s.io)";
    }
  }

  /** Before 1.30: the WebSocket upgrade is refused with a Status and kubectl falls back to SPDY. */
  @Nested
  class Off extends ExecMatrix {
    @Override
    String[] clusterFlags() {
      return new String[] {"--websocket-translation", "off"};
    }

    @Override
    Stream<Arguments> kubectls() {
      return webSocketKubectls();
    }

    @Override
    Map<String, String> extraEnv() {
      return Map.of();
    }

    @Override
    String apiserverHop() {
      return "(splice SPDY/3.1 v5.channel.k8s.io)";
    }

    @Override
    String kubeletHop() {
      return "(splice SPDY/3.1 v5.channel.k8s.io)";
    }
  }
}
