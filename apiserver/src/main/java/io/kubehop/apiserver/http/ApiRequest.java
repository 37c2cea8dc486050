package io.kubehop.apiserver.http;

import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.registry.ResourceType;
import io.kubehop.apiserver.util.ParseBool;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.Arrays;

/**
 * A request for a core/v1 resource, parsed from its path like upstream's {@code
 * RequestInfoFactory}: {@code /api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]}.
 * {@code namespace} is null for cluster-scoped resources and for lists across all namespaces;
 * {@code user} is who made it (null until {@link #by}).
 */
public record ApiRequest(
    HttpServerRequest http,
    ResourceType type,
    String namespace,
    String name,
    String subresource,
    String user) {

  public ApiRequest(
      HttpServerRequest http,
      ResourceType type,
      String namespace,
      String name,
      String subresource) {
    this(http, type, namespace, name, subresource, null);
  }

  /** This request as made by {@code user}, the name the authenticator gave its caller. */
  public ApiRequest by(String user) {
    return new ApiRequest(http, type, namespace, name, subresource, user);
  }

  /** Parses the path; null when it is not a resource path. Unknown resources are a 404. */
  public static ApiRequest parse(HttpServerRequest http, String path) {
    if (!path.startsWith("/api/v1/")) {
      return null;
    }
    String[] p = path.substring("/api/v1/".length()).split("/", -1);
    if (p.length > 0 && p[p.length - 1].isEmpty()) {
      p = Arrays.copyOf(p, p.length - 1);
    }
    if (p.length == 0) {
      return null;
    }
    String namespace = null;
    int i = 0;
    if (p[0].equals("namespaces") && p.length >= 3) {
      namespace = p[1];
      i = 2;
    } else if (p[0].equals("namespaces")) {
      // /api/v1/namespaces[/{name}] addresses the namespaces themselves.
      return new ApiRequest(http, ResourceType.NAMESPACES, null, p.length > 1 ? p[1] : null, null);
    }
    ResourceType type = ResourceType.byResource(p[i]);
    // A proxy subresource carries a path of its own after it (nodes/{name}/proxy/{path}).
    boolean proxy = p.length - i > 3 && p[i + 2].equals("proxy");
    if (type == null || (namespace != null && !type.namespaced()) || (p.length - i > 3 && !proxy)) {
      throw StatusException.notFoundPath();
    }
    if (namespace != null && p.length == 4 && type == ResourceType.NAMESPACES) {
      throw StatusException.notFoundPath();
    }
    String name = p.length - i > 1 ? p[i + 1] : null;
    String sub = p.length - i > 2 ? p[i + 2] : null;
    if (type.namespaced() && namespace == null && name != null) {
      throw StatusException.notFoundPath();
    }
    if (namespace != null && namespace.equals("namespaces")) {
      throw StatusException.notFoundPath();
    }
    return new ApiRequest(http, type, namespace, name, sub);
  }

  /**
   * Special case: {@code /api/v1/namespaces/{ns}/status} parses as namespace {@code ns}'s status.
   */
  public ApiRequest withNamespaceStatus(String ns) {
    return new ApiRequest(http, ResourceType.NAMESPACES, null, ns, "status", user);
  }

  public MultiMap query() {
    return http.params();
  }

  public String param(String name) {
    return http.getParam(name);
  }

  public boolean flag(String name) {
    return ParseBool.query(name, param(name), false);
  }

  public String describe() {
    return http.method() + " " + http.uri();
  }
}
