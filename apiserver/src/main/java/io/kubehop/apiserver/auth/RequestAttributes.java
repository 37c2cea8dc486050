package io.kubehop.apiserver.auth;

import io.kubehop.apiserver.util.ParseBool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a request asks to do, in the terms the authorizer decides on: upstream's {@code RequestInfo}
 * merged with its {@code authorizer.Attributes}. Parsed from the path alone, so it exists before
 * the request is routed (an unknown resource is still authorized first, and then not found, as
 * upstream).
 *
 * @param resourceRequest false for a non-resource path such as {@code /metrics}
 * @param verb {@code get}, {@code list}, {@code watch}, {@code create}, … for resources; the
 *     lower-cased method for non-resource paths
 * @param group the API group, {@code ""} for core
 * @param namespace null at the cluster scope
 * @param name null for a collection
 * @param subresource null unless the path has one
 */
public record RequestAttributes(
    boolean resourceRequest,
    String verb,
    String path,
    String group,
    String namespace,
    String resource,
    String name,
    String subresource) {

  /** The subresources whose verb is {@code create} whatever the method (upstream 1.35). */
  public static final Set<String> CONNECT_SUBRESOURCES = Set.of("exec", "attach", "portforward");

  /**
   * Upstream's {@code namespaceSubresources}: {@code /namespaces/{ns}/status} is the namespace's.
   */
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  /**
   * Parses like upstream's {@code RequestInfoFactory.NewRequestInfo}.
   *
   * @param method the request's method before any POST-upgrade rewrite
   * @param watch the {@code watch} query parameter, or null
   */
  public static RequestAttributes parse(String method, String path, String watch) {
    String verb = method.toLowerCase(Locale.ROOT);
    List<String> parts = split(path);
    RequestAttributes nonResource =
        new RequestAttributes(false, verb, path, null, null, null, null, null);
    if (parts.size() < 3 || !(parts.get(0).equals("api") || parts.get(0).equals("apis"))) {
      return nonResource;
    }
    String group = "";
    int i = 1;
    if (parts.get(0).equals("apis")) {
      if (parts.size() < 4) {
        return nonResource;
      }
      group = parts.get(1);
      i = 2;
    }
    i++; // the version
    if (parts.get(i).equals("watch") && parts.size() > i + 1) {
      verb = "watch"; // the deprecated /api/v1/watch/... form
      i++;
    } else {
      verb =
          switch (method) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
          };
    }
    String namespace = null;
    if (parts.get(i).equals("namespaces") && parts.size() > i + 1) {
      // /namespaces/{ns} is namespace ns itself, which is "in" its own namespace (upstream)
      namespace = parts.get(i + 1);
      if (parts.size() > i + 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(i + 2))) {
        i += 2;
      }
    }
    List<String> rest = parts.subList(i, parts.size());
    String resource = rest.get(0);
    String name = rest.size() >= 2 ? rest.get(1) : null;
    String subresource = rest.size() >= 3 ? rest.get(2) : null;
    if (name == null && verb.equals("get")) {
      verb = isTrue(watch) ? "watch" : "list";
    } else if (name != null && verb.equals("get") && subresource == null && isTrue(watch)) {
      verb = "watch"; // kubehop also serves a watch on a named path
    } else if (name == null && verb.equals("delete")) {
      verb = "deletecollection";
    }
    if (subresource != null
        && resource.equals("pods")
        && CONNECT_SUBRESOURCES.contains(subresource)) {
      // A WebSocket upgrade is a GET; it must still need create (upstream closed this in 1.35).
      verb = "create";
    }
    return new RequestAttributes(true, verb, path, group, namespace, resource, name, subresource);
  }

  /** True for pods/exec, pods/attach and pods/portforward: the requests always audited. */
  public boolean isConnect() {
    return resourceRequest
        && "pods".equals(resource)
        && subresource != null
        && CONNECT_SUBRESOURCES.contains(subresource);
  }

  /** {@code pods/exec}, or {@code pods}: how rules and messages name the resource. */
  public String resourceWithSubresource() {
    return subresource == null ? resource : resource + "/" + subresource;
  }

  private static boolean isTrue(String value) {
    if (value == null) {
      return false;
    }
    try {
      return ParseBool.parse(value);
    } catch (IllegalArgumentException e) {
      return false; // upstream: a malformed list option authorizes as list; the handler then 400s
    }
  }

  private static List<String> split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(trimmed.split("/", -1)));
  }
}
