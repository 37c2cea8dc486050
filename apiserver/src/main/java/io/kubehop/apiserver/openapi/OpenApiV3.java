package io.kubehop.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.version.VersionInfo;
import io.kubehop.apiserver.http.Responses;
import io.kubehop.apiserver.registry.ResourceType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A minimal OpenAPI v3 for core/v1, just what kubectl needs for {@code apply} with its default
 * validation: the root {@code /openapi/v3} lists {@code api/v1} with a content hash, and {@code
 * /openapi/v3/api/v1} declares, per resource, operations tagged with {@code
 * x-kubernetes-group-version-kind} whose PATCH takes the {@code fieldValidation} query parameter.
 * kubectl's query-param verifier ({@code
 * k8s.io/cli-runtime/pkg/resource/query_param_verifier_v3.go}) then leaves validation to the server
 * ({@code ?fieldValidation=Strict}). The PATCH request body deliberately does not list the
 * strategic-merge content type, so kubectl computes its apply patch from its compiled-in types
 * rather than from schemas kubehop does not serve.
 */
public final class OpenApiV3 {

  private final byte[] document;
  private final String hash;

  public OpenApiV3() {
    this.document = ApiJson.writeBytes(coreV1());
    this.hash = sha512(document);
  }

  public void root(HttpServerRequest req) {
    ObjectNode root = ApiJson.mapper().createObjectNode();
    root.putObject("paths")
        .putObject("api/v1")
        .put("serverRelativeURL", "/openapi/v3/api/v1?hash=" + hash);
    Responses.json(req.response(), 200, root);
  }

  public void coreV1(HttpServerRequest req) {
    if (req.getParam("hash") != null) {
      req.response().putHeader("Cache-Control", "public, immutable");
    }
    req.response()
        .setStatusCode(200)
        .putHeader("Content-Type", "application/json")
        .putHeader("Etag", "\"" + hash + "\"")
        .end(Buffer.buffer(document));
  }

  private static ObjectNode coreV1() {
    ObjectNode doc = ApiJson.mapper().createObjectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", VersionInfo.get().gitVersion());
    ObjectNode paths = doc.putObject("paths");
    for (ResourceType t : ResourceType.ALL) {
      String base =
          t.namespaced()
              ? "/api/v1/namespaces/{namespace}/" + t.resource()
              : "/api/v1/" + t.resource();
      ObjectNode collection = paths.putObject(base);
      collection.set("get", operation(t, "list", "list"));
      collection.set("post", operation(t, "create", "post"));
      ObjectNode item = paths.putObject(base + "/{name}");
      item.set("get", operation(t, "read", "get"));
      item.set("put", operation(t, "replace", "put"));
      item.set("patch", operation(t, "patch", "patch"));
      item.set("delete", operation(t, "delete", "delete"));
    }
    doc.putObject("components").putObject("schemas");
    return doc;
  }

  private static ObjectNode operation(ResourceType t, String verb, String action) {
    ObjectNode op = ApiJson.mapper().createObjectNode();
    String kind = t.kind();
    op.put("operationId", verb + "CoreV1" + (t.namespaced() ? "Namespaced" : "") + kind);
    op.putArray("tags").add("core_v1");
    op.put("x-kubernetes-action", action);
    op.putObject("x-kubernetes-group-version-kind")
        .put("group", "")
        .put("version", "v1")
        .put("kind", kind);
    ArrayNode params = op.putArray("parameters");
    if (action.equals("post") || action.equals("put") || action.equals("patch")) {
      query(params, "dryRun");
      query(params, "fieldManager");
      query(params, "fieldValidation");
      ObjectNode content = op.putObject("requestBody").putObject("content");
      String type = action.equals("patch") ? "application/merge-patch+json" : "application/json";
      content.putObject(type).putObject("schema").put("type", "object");
      if (action.equals("patch")) {
        content.putObject("application/json-patch+json").putObject("schema").put("type", "object");
      }
    }
    op.putObject("responses").putObject("200").put("description", "OK");
    return op;
  }

  private static void query(ArrayNode params, String name) {
    params
        .addObject()
        .put("name", name)
        .put("in", "query")
        .put("description", name)
        .putObject("schema")
        .put("type", "string")
        .put("uniqueItems", true);
  }

  private static String sha512(byte[] bytes) {
    try {
      return HexFormat.of()
          .withUpperCase()
          .formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
