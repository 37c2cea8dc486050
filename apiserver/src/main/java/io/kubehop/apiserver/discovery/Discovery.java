package io.kubehop.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.version.VersionInfo;
import io.kubehop.apiserver.http.MediaTypes;
import io.kubehop.apiserver.http.Responses;
import io.kubehop.apiserver.registry.ResourceType;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * {@code /version}, {@code /api}, {@code /apis}, {@code /api/v1} and {@code
 * /apis/events.k8s.io[/v1]}, legacy or aggregated (apidiscovery v2 or v2beta1, chosen by the Accept
 * header and announced by the matching Content-Type) — docs/wire-captures.md §4.3. The one group
 * besides core is {@code events.k8s.io} (read-only events); core comes first, so kubectl resolves
 * {@code events} and {@code ev} to core/v1.
 */
public final class Discovery {

  private Discovery() {
    throw new AssertionError("No instances.");
  }

  /**
   * {@code /version}: kubehop's one {@link VersionInfo}, which the kubelets report as their version
   * too.
   */
  public static void version(HttpServerRequest req) {
    VersionInfo info = VersionInfo.get();
    ObjectNode v = ApiJson.mapper().createObjectNode();
    v.put("major", info.major())
        .put("minor", info.minor())
        .put("gitVersion", info.gitVersion())
        .put("gitCommit", info.gitCommit())
        .put("gitTreeState", info.gitTreeState())
        .put("buildDate", info.buildDate())
        .put("goVersion", info.goVersion())
        .put("compiler", info.compiler())
        .put("platform", info.platform());
    Responses.json(req.response(), 200, v);
  }

  public static void api(HttpServerRequest req) {
    String aggregated = MediaTypes.discovery(req.getHeader("Accept"));
    if (aggregated != null) {
      Responses.json(req.response(), 200, aggregated, aggregatedCore(aggregated));
      return;
    }
    ObjectNode v = ApiJson.mapper().createObjectNode();
    v.put("kind", "APIVersions");
    v.putArray("versions").add("v1");
    String host = req.authority() == null ? "127.0.0.1" : req.authority().toString();
    v.putArray("serverAddressByClientCIDRs")
        .addObject()
        .put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", host);
    Responses.json(req.response(), 200, v);
  }

  public static void apis(HttpServerRequest req) {
    String aggregated = MediaTypes.discovery(req.getHeader("Accept"));
    ObjectNode v = ApiJson.mapper().createObjectNode();
    if (aggregated != null) {
      v.put("kind", "APIGroupDiscoveryList").put("apiVersion", apiVersionOf(aggregated));
      v.putObject("metadata");
      ObjectNode group = v.putArray("items").addObject();
      group.putObject("metadata").put("name", EVENTS_GROUP).putNull("creationTimestamp");
      ObjectNode version = group.putArray("versions").addObject();
      version.put("version", "v1");
      ArrayNode resources = version.putArray("resources");
      aggregatedResource(resources.addObject(), ResourceType.EVENTS_V1, EVENTS_GROUP);
      version.put("freshness", "Current");
      Responses.json(req.response(), 200, aggregated, v);
      return;
    }
    v.put("kind", "APIGroupList").put("apiVersion", "v1");
    v.putArray("groups").add(eventsGroupObject());
    Responses.json(req.response(), 200, v);
  }

  /** The one API group besides core: {@code events.k8s.io}, version v1, read-only events. */
  public static final String EVENTS_GROUP = "events.k8s.io";

  private static ObjectNode eventsGroupObject() {
    ObjectNode g = ApiJson.mapper().createObjectNode();
    g.put("name", EVENTS_GROUP);
    g.putArray("versions")
        .addObject()
        .put("groupVersion", EVENTS_GROUP + "/v1")
        .put("version", "v1");
    g.putObject("preferredVersion").put("groupVersion", EVENTS_GROUP + "/v1").put("version", "v1");
    return g;
  }

  /** {@code /apis/events.k8s.io}: the APIGroup. */
  public static void eventsGroup(HttpServerRequest req) {
    ObjectNode g = eventsGroupObject();
    ObjectNode v = ApiJson.mapper().createObjectNode();
    v.put("kind", "APIGroup").put("apiVersion", "v1");
    v.setAll(g);
    Responses.json(req.response(), 200, v);
  }

  /** {@code /apis/events.k8s.io/v1}: its APIResourceList. */
  public static void eventsV1(HttpServerRequest req) {
    ObjectNode list = ApiJson.mapper().createObjectNode();
    list.put("kind", "APIResourceList")
        .put("apiVersion", "v1")
        .put("groupVersion", EVENTS_GROUP + "/v1");
    ResourceType t = ResourceType.EVENTS_V1;
    ObjectNode r = list.putArray("resources").addObject();
    r.put("name", t.resource())
        .put("singularName", t.singular())
        .put("namespaced", t.namespaced())
        .put("kind", t.kind());
    strings(r.putArray("verbs"), t.verbs());
    strings(r.putArray("shortNames"), t.shortNames());
    Responses.json(req.response(), 200, list);
  }

  public static void coreV1(HttpServerRequest req) {
    ObjectNode list = ApiJson.mapper().createObjectNode();
    list.put("kind", "APIResourceList").put("groupVersion", "v1");
    ArrayNode resources = list.putArray("resources");
    for (ResourceType t : ResourceType.ALL) {
      ObjectNode r = resources.addObject();
      r.put("name", t.resource())
          .put("singularName", t.singular())
          .put("namespaced", t.namespaced())
          .put("kind", t.kind());
      strings(r.putArray("verbs"), t.verbs());
      if (!t.shortNames().isEmpty()) {
        strings(r.putArray("shortNames"), t.shortNames());
      }
      if (!t.categories().isEmpty()) {
        strings(r.putArray("categories"), t.categories());
      }
      for (ResourceType.Subresource s : t.subresources()) {
        ObjectNode sr = resources.addObject();
        sr.put("name", t.resource() + "/" + s.name())
            .put("singularName", "")
            .put("namespaced", t.namespaced())
            .put("kind", s.kind());
        strings(sr.putArray("verbs"), s.verbs());
      }
    }
    Responses.json(req.response(), 200, list);
  }

  private static ObjectNode aggregatedCore(String contentType) {
    ObjectNode list = ApiJson.mapper().createObjectNode();
    list.put("kind", "APIGroupDiscoveryList").put("apiVersion", apiVersionOf(contentType));
    list.putObject("metadata");
    ObjectNode group = list.putArray("items").addObject();
    group.putObject("metadata").putNull("creationTimestamp");
    ObjectNode version = group.putArray("versions").addObject();
    version.put("version", "v1").put("freshness", "Current");
    ArrayNode resources = version.putArray("resources");
    for (ResourceType t : ResourceType.ALL) {
      ObjectNode r = resources.addObject();
      aggregatedResource(r, t, "");
    }
    return list;
  }

  private static void aggregatedResource(ObjectNode r, ResourceType t, String group) {
    r.put("resource", t.resource());
    r.putObject("responseKind").put("group", group).put("version", "v1").put("kind", t.kind());
    r.put("scope", t.namespaced() ? "Namespaced" : "Cluster").put("singularResource", t.singular());
    strings(r.putArray("verbs"), t.verbs());
    if (!t.shortNames().isEmpty()) {
      strings(r.putArray("shortNames"), t.shortNames());
    }
    if (!t.categories().isEmpty()) {
      strings(r.putArray("categories"), t.categories());
    }
    ArrayNode subs = r.putArray("subresources");
    for (ResourceType.Subresource s : t.subresources()) {
      ObjectNode sr = subs.addObject();
      sr.put("subresource", s.name());
      kind(sr.putObject("responseKind"), s.kind());
      strings(sr.putArray("verbs"), s.verbs());
    }
  }

  private static String apiVersionOf(String contentType) {
    return contentType.equals(MediaTypes.DISCOVERY_V2)
        ? "apidiscovery.k8s.io/v2"
        : "apidiscovery.k8s.io/v2beta1";
  }

  private static void kind(ObjectNode o, String kind) {
    o.put("group", "").put("version", "v1").put("kind", kind);
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
