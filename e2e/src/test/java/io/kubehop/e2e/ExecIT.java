package io.kubehop.e2e;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The exec matrix over SPDY end to end: kubectl 1.27, 1.28 and 1.29 speak SPDY by default, 1.33
 * with {@code KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false}; every hop splices SPDY. With {@link
 * ExecWebSocketIT} the matrix runs every kubectl from 1.27 to 1.33.
 */
class ExecIT extends ExecMatrix {

  @Override
  String[] clusterFlags() {
    return new String[0];
  }

  @Override
  Stream<Arguments> kubectls() {
    return Stream.of(
        kubectl("kubectl 1.27", "1.27"),
        kubectl("kubectl 1.28", "1.28"),
        kubectl("kubectl 1.29", "1.29"),
        kubectl("kubectl 1.33 (SPDY)", "1.33"));
  }

  @Override
  Map<String, String> extraEnv() {
    return Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false");
  }

  @Override
  String apiserverHop(String client) {
    return "(splice SPDY/3.1 v";
  }

  @Override
  String kubeletHop(String client) {
    return "(splice SPDY/3.1 v";
  }
}
