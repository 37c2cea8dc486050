package io.kubehop.apiserver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Verbs and scopes as upstream's RequestInfoFactory computes them, and the token file format. */
class AuthRequestAttributesTest {

  @ParameterizedTest
  @CsvSource(
      nullValues = "-",
      value = {
        "GET, /api/v1/namespaces/default/pods, -, list, default, pods, -, -",
        "GET, /api/v1/namespaces/default/pods, true, watch, default, pods, -, -",
        "GET, /api/v1/pods, 1, watch, -, pods, -, -",
        "GET, /api/v1/namespaces/default/pods/demo, -, get, default, pods, demo, -",
        "HEAD, /api/v1/nodes/n1, -, get, -, nodes, n1, -",
        "POST, /api/v1/namespaces/default/pods, -, create, default, pods, -, -",
        "PUT, /api/v1/nodes/n1/status, -, update, -, nodes, n1, status",
        "PATCH, /api/v1/namespaces/default/pods/demo, -, patch, default, pods, demo, -",
        "DELETE, /api/v1/namespaces/default/pods/demo, -, delete, default, pods, demo, -",
        "DELETE, /api/v1/namespaces/default/pods, -, deletecollection, default, pods, -, -",
        "GET, /api/v1/namespaces/default/pods/demo/exec, -, create, default, pods, demo, exec",
        "POST, /api/v1/namespaces/default/pods/demo/attach, -, create, default, pods, demo, attach",
        "GET, /api/v1/namespaces/d/pods/demo/portforward, -, create, d, pods, demo, portforward",
        "GET, /api/v1/namespaces/default/pods/demo/log, -, get, default, pods, demo, log",
        "GET, /api/v1/namespaces/kube-system, -, get, kube-system, namespaces, kube-system, -",
        "PUT, /api/v1/namespaces/x/status, -, update, x, namespaces, x, status",
        "GET, /api/v1/namespaces, -, list, -, namespaces, -, -",
        "GET, /apis/apps/v1/namespaces/default/deployments, -, list, default, deployments, -, -",
      })
  void resourceRequests(
      String method,
      String path,
      String watch,
      String verb,
      String namespace,
      String resource,
      String name,
      String subresource) {
    RequestAttributes a = RequestAttributes.parse(method, path, watch);
    assertTrue(a.resourceRequest(), a.toString());
    assertEquals(verb, a.verb(), a.toString());
    assertEquals(namespace, a.namespace(), a.toString());
    assertEquals(resource, a.resource(), a.toString());
    assertEquals(name, a.name(), a.toString());
    assertEquals(subresource, a.subresource(), a.toString());
  }

  @ParameterizedTest
  @CsvSource({
    "GET, /metrics, get",
    "GET, /api, get",
    "GET, /api/v1, get",
    "POST, /apis/apps, post"
  })
  void nonResourceRequests(String method, String path, String verb) {
    RequestAttributes a = RequestAttributes.parse(method, path, null);
    assertFalse(a.resourceRequest(), a.toString());
    assertEquals(verb, a.verb());
    assertEquals(path, a.path());
  }

  @Test
  void theTokenFileReadsQuotedGroupsAndSkipsCommentsAndBlankLines() {
    TokenFile tokens =
        TokenFile.parse(
            List.of(
                "# comment",
                "",
                "t1,alice,u1,\"system:masters,kubehop:viewers\"",
                "t2,bob,u2",
                "t3,carol,,\"\""),
            "tokens.csv");
    assertEquals(3, tokens.size());
    UserInfo alice = tokens.lookup("t1").orElseThrow();
    assertEquals("alice", alice.name());
    assertEquals("u1", alice.uid());
    assertEquals(
        List.of("system:masters", "kubehop:viewers", UserInfo.AUTHENTICATED), alice.groups());
    assertEquals(List.of(UserInfo.AUTHENTICATED), tokens.lookup("t2").orElseThrow().groups());
    assertTrue(tokens.lookup("t4").isEmpty());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TokenFile.parse(List.of("secret-token,alice"), "tokens.csv"));
    assertEquals("tokens.csv:1: want at least 3 columns: token,user,uid", e.getMessage());
  }

  @Test
  void theBearerSchemeIsCaseInsensitive() {
    assertEquals("abc", Authenticator.bearer("Bearer abc"));
    assertEquals("abc", Authenticator.bearer("bearer  abc "));
    assertEquals(null, Authenticator.bearer("Basic abc"));
    assertEquals(null, Authenticator.bearer("Bearer "));
  }
}
