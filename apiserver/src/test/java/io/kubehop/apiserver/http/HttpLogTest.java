package io.kubehop.apiserver.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.HttpMethod;
import java.util.logging.Level;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpLogTest {

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource({
    // routine: the kubelet's heartbeat and status reports, reads, watches
    "PUT, /api/v1/nodes/node-1/status, 200, FINE",
    "PATCH, /api/v1/namespaces/default/pods/demo/status, 200, FINE",
    "PUT, /api/v1/namespaces/default/status, 200, FINE",
    "GET, /api/v1/namespaces/default/pods, 200, FINE",
    "GET, /api/v1/pods?watch=1, 200, FINE",
    "GET, /api/v1/namespaces/default/pods/gone, 404, FINE",
    "HEAD, /version, 200, FINE",
    // changes, and failures
    "POST, /api/v1/namespaces/default/pods, 201, INFO",
    "PUT, /api/v1/namespaces/default/pods/demo, 200, INFO",
    "DELETE, /api/v1/namespaces/default/pods/demo, 200, INFO",
    "PUT, /api/v1/nodes/node-1/status, 409, INFO",
    "PUT, /api/v1/nodes/node-2/status, 404, INFO",
    "GET, /api/v1/namespaces/default/pods/demo/log, 500, INFO",
    // a namespace named status, a pod named status: not a status subresource
    "PUT, /api/v1/namespaces/status, 200, INFO",
    "PUT, /api/v1/namespaces/default/pods/status, 200, INFO",
  })
  void changesAndFailuresAtInfoRoutineTrafficAtFine(
      String method, String path, int status, String level) {
    assertEquals(Level.parse(level), HttpLog.level(HttpMethod.valueOf(method), path, status));
  }
}
