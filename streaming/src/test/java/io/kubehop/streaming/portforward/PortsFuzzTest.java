package io.kubehop.streaming.portforward;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * A port-forward request's {@code port} values, anything a client puts in the query: ports 1 to
 * 65535, or an {@link Ports.InvalidPortException} with upstream's message; never another exception.
 */
class PortsFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void anyQueryValuesArePortsOrAClearError(FuzzedDataProvider data) {
    List<String> values = new ArrayList<>();
    int n = data.consumeInt(0, 4);
    for (int i = 0; i < n; i++) {
      values.add(data.consumeString(24));
    }
    try {
      for (int port : Ports.fromQuery(values)) {
        assertTrue(port >= 1 && port <= 65535, values + " gave " + port);
      }
    } catch (Ports.InvalidPortException refused) {
      assertTrue(!refused.getMessage().isEmpty());
    }
  }
}
