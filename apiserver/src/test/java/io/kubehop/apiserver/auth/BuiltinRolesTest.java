package io.kubehop.apiserver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The built-in roles on configmaps, secrets and events: viewers read configmaps and events but not
 * secrets (as upstream's {@code view}); kubelets read configmaps and secrets and write events.
 */
class BuiltinRolesTest {

  private final BuiltinRoles roles = new BuiltinRoles();

  @ParameterizedTest
  @CsvSource({
    "kubehop:viewers, GET, /api/v1/namespaces/d/configmaps, true",
    "kubehop:viewers, GET, /api/v1/namespaces/d/configmaps/c, true",
    "kubehop:viewers, GET, /api/v1/namespaces/d/events, true",
    "kubehop:viewers, GET, /apis/events.k8s.io/v1/namespaces/d/events, true",
    "kubehop:viewers, GET, /api/v1/namespaces/d/secrets, false",
    "kubehop:viewers, GET, /api/v1/namespaces/d/secrets/s, false",
    "kubehop:viewers, POST, /api/v1/namespaces/d/configmaps, false",
    "system:nodes, GET, /api/v1/namespaces/d/secrets/s, true",
    "system:nodes, GET, /api/v1/namespaces/d/configmaps/c, true",
    "system:nodes, POST, /api/v1/namespaces/d/events, true",
    "system:nodes, PATCH, /api/v1/namespaces/d/events/e, true",
    "system:nodes, POST, /api/v1/namespaces/d/secrets, false",
    "system:masters, DELETE, /api/v1/namespaces/d/secrets/s, true",
  })
  void decides(String group, String method, String path, boolean allowed) {
    UserInfo user = UserInfo.authenticated("u", "", List.of(group));
    assertEquals(allowed, roles.authorize(user, RequestAttributes.parse(method, path, null)), path);
  }
}
