package io.kubehop.apiserver.openapi;

import io.kubehop.api.version.VersionInfo;
import io.kubehop.apiserver.registry.ResourceType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code /openapi/v2} for kubectl 1.27, which only knows OpenAPI v2 and always decodes it as
 * protobuf (gnostic's {@code openapi.v2.Document}, whatever the Content-Type). The document holds,
 * per resource, a PATCH operation with the {@code x-kubernetes-group-version-kind} extension and
 * the {@code fieldValidation} query parameter — what 1.27's {@code QueryParamVerifier} looks for
 * before it leaves validation to the server. No definitions: kubectl then computes apply patches
 * from its compiled-in types.
 */
public final class OpenApiV2 {

  /**
   * What kube-apiserver answers with. kubectl asks for {@code …spec.v2@v1.0+protobuf}, but
   * client-go parses the response Content-Type with Go's mime parser, which rejects the {@code @}.
   */
  public static final String PROTOBUF =
      "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

  private final byte[] document = document();

  public void serve(HttpServerRequest req) {
    req.response()
        .setStatusCode(200)
        .putHeader("Content-Type", PROTOBUF)
        .end(Buffer.buffer(document));
  }

  static byte[] document() {
    ProtoWriter paths = new ProtoWriter();
    for (ResourceType t : ResourceType.ALL) {
      String base =
          t.namespaced()
              ? "/api/v1/namespaces/{namespace}/" + t.resource()
              : "/api/v1/" + t.resource();
      ProtoWriter patch =
          new ProtoWriter()
              .string(
                  5,
                  "patchCoreV1" + (t.namespaced() ? "Namespaced" : "") + t.kind()) // operation_id
              .message(8, queryParameter("fieldValidation")) // parameters
              .message(8, queryParameter("fieldManager"))
              .message(
                  13,
                  new ProtoWriter() // vendor_extension
                      .string(1, "x-kubernetes-group-version-kind")
                      .message(
                          2,
                          new ProtoWriter()
                              .string(2, "group: \"\"\nkind: " + t.kind() + "\nversion: v1\n")));
      ProtoWriter pathItem = new ProtoWriter().message(8, patch); // PathItem.patch
      paths.message(
          2, new ProtoWriter().string(1, base + "/{name}").message(2, pathItem)); // NamedPathItem
    }
    return new ProtoWriter()
        .string(1, "2.0") // swagger
        .message(
            2,
            new ProtoWriter()
                .string(1, "Kubernetes")
                .string(2, VersionInfo.get().gitVersion())) // info
        .message(8, paths) // paths
        .toByteArray();
  }

  /**
   * ParametersItem{parameter: Parameter{non_body_parameter: NonBodyParameter{query: {in, name,
   * type}}}}.
   */
  private static ProtoWriter queryParameter(String name) {
    ProtoWriter query =
        new ProtoWriter().string(2, "query").string(3, name).string(4, name).string(6, "string");
    return new ProtoWriter()
        .message(1, new ProtoWriter().message(2, new ProtoWriter().message(3, query)));
  }
}
