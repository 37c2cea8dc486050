package io.kubehop.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.api.meta.StatusException;
import io.kubehop.api.meta.Times;
import io.kubehop.apiserver.registry.Meta;
import io.kubehop.apiserver.registry.ObjectMetaDefaults;
import io.kubehop.apiserver.registry.ResourceStrategy;
import io.kubehop.apiserver.registry.ResourceType;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreException;
import io.kubehop.apiserver.storage.StoreKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * POST, PUT, PATCH and DELETE of objects and of their {@code /status}. Nothing is stored when a
 * request fails: every check runs before the store write, or inside the store's atomic update.
 */
public final class ResourceWrites {

  private final Store store;
  private final Clock clock;

  public ResourceWrites(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public void create(ApiRequest req, ResourceStrategy strategy, Buffer body) {
    HttpServerResponse resp = req.http().response();
    ResourceType type = strategy.type();
    ObjectNode obj = decodeObject(req, body, type);
    FieldValidation.check(req, type.kind(), obj, resp);
    ObjectNode meta = Meta.metadata(obj);
    if (type.namespaced()) {
      String bodyNs = Meta.text(meta.get("namespace"));
      if (bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(req.namespace())) {
        throw StatusException.badRequest(
            "the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.put("namespace", req.namespace());
    }
    Future<Void> nsExists =
        type.namespaced() ? namespaceExists(req.namespace()) : Future.succeededFuture();
    nsExists
        .compose(
            v -> {
              ObjectMetaDefaults.fill(obj);
              strategy.prepareForCreate(obj);
              invalidIfAny(strategy, obj);
              String name = Meta.name(obj);
              return store
                  .create(new StoreKey(type.resource(), req.namespace(), name), obj)
                  .onSuccess(strategy::afterCreate)
                  .recover(t -> Future.failedFuture(Responses.translate(t, type.resource(), name)));
            })
        .onComplete(ar -> reply(resp, 201, ar.result(), ar.cause()));
  }

  public void update(ApiRequest req, ResourceStrategy strategy, Buffer body) {
    ResourceType type = strategy.type();
    ObjectNode obj = decodeObject(req, body, type);
    FieldValidation.check(req, type.kind(), obj, req.http().response());
    String bodyName = Meta.name(obj);
    if (bodyName != null && !bodyName.equals(req.name())) {
      throw StatusException.badRequest(
          "the name of the object ("
              + bodyName
              + ") does not match the name on the URL ("
              + req.name()
              + ")");
    }
    boolean status = "status".equals(req.subresource());
    // The store may run the change again on a newer object (etcd's compare-and-swap loop): each run
    // works on its own copy of the body, which prepareForUpdate fills in.
    write(
        req,
        strategy,
        current ->
            status
                ? withStatusOf(current, obj.deepCopy())
                : prepared(strategy, obj.deepCopy(), current));
  }

  public void patch(ApiRequest req, ResourceStrategy strategy, Buffer body) {
    JsonNode patch = Bodies.json(body);
    String contentType = req.http().getHeader("Content-Type");
    boolean status = "status".equals(req.subresource());
    // Like upstream, validate the fields the client sent (the patch), not what was stored before.
    if (patch.isObject()) {
      FieldValidation.check(req, strategy.type().kind(), patch, req.http().response());
    }
    write(
        req,
        strategy,
        current -> {
          ObjectNode patched = Patches.apply(contentType, current, patch.deepCopy());
          return status ? withStatusOf(current, patched) : prepared(strategy, patched, current);
        });
  }

  private ObjectNode prepared(ResourceStrategy strategy, ObjectNode updated, ObjectNode current) {
    updated.put("kind", strategy.type().kind()).put("apiVersion", "v1");
    strategy.prepareForUpdate(updated, current);
    invalidIfAny(strategy, updated, strategy.validateUpdate(updated, current));
    return updated;
  }

  /**
   * {@code /status}: only {@code .status} changes; the client's resourceVersion stays as a
   * precondition.
   */
  private static ObjectNode withStatusOf(ObjectNode current, ObjectNode source) {
    ObjectNode next = current.deepCopy();
    if (source.has("status")) {
      next.set("status", source.get("status"));
    }
    String rv = Meta.resourceVersion(source);
    Meta.metadata(next).put("resourceVersion", rv == null ? "" : rv);
    return next;
  }

  private void write(ApiRequest req, ResourceStrategy strategy, UnaryOperator<ObjectNode> change) {
    String resource = strategy.type().resource();
    store
        .update(new StoreKey(resource, req.namespace(), req.name()), change)
        .recover(t -> Future.failedFuture(Responses.translate(t, resource, req.name())))
        .onComplete(ar -> reply(req.http().response(), 200, ar.result(), ar.cause()));
  }

  public void delete(ApiRequest req, ResourceStrategy strategy, Buffer body) {
    JsonNode options = deleteOptions(req, body);
    deleteOne(
            strategy,
            new StoreKey(strategy.type().resource(), req.namespace(), req.name()),
            options)
        .onComplete(ar -> reply(req.http().response(), 200, ar.result(), ar.cause()));
  }

  /**
   * DELETE of a collection: every object the selectors match, each as a single DELETE would;
   * returns them.
   */
  public void deleteCollection(ApiRequest req, ResourceStrategy strategy, Buffer body) {
    JsonNode options = deleteOptions(req, body);
    ResourceReads.Selection selection = ResourceReads.Selection.of(req, strategy);
    String resource = strategy.type().resource();
    store
        .list(resource, req.namespace())
        .compose(
            listing -> {
              ObjectNode list = ApiJson.mapper().createObjectNode();
              list.put("kind", strategy.type().listKind()).put("apiVersion", "v1");
              list.putObject("metadata")
                  .put("resourceVersion", Long.toString(listing.resourceVersion()));
              var items = list.putArray("items");
              Future<Void> chain = Future.succeededFuture();
              for (ObjectNode o : listing.items()) {
                if (selection.matches(o)) {
                  StoreKey key = new StoreKey(resource, Meta.namespace(o), Meta.name(o));
                  chain =
                      chain.compose(
                          v ->
                              deleteOne(strategy, key, options)
                                  .map(
                                      deleted -> {
                                        items.add(deleted);
                                        return null;
                                      })
                                  .<Void>mapEmpty()
                                  .recover(t -> Future.succeededFuture()));
                }
              }
              return chain.map(v -> list);
            })
        .onComplete(ar -> reply(req.http().response(), 200, ar.result(), ar.cause()));
  }

  private static JsonNode deleteOptions(ApiRequest req, Buffer body) {
    ObjectNode options =
        body.length() == 0 ? ApiJson.mapper().createObjectNode() : asObject(Bodies.json(body));
    String q = req.param("gracePeriodSeconds");
    if (q != null) {
      try {
        options.put("gracePeriodSeconds", Long.parseLong(q));
      } catch (NumberFormatException e) {
        throw StatusException.badRequest("invalid gracePeriodSeconds: " + q);
      }
    }
    return options;
  }

  private static ObjectNode asObject(JsonNode n) {
    if (n instanceof ObjectNode o) {
      return o;
    }
    throw StatusException.badRequest("DeleteOptions must be a JSON object");
  }

  private Future<ObjectNode> deleteOne(ResourceStrategy strategy, StoreKey key, JsonNode options) {
    Long grace =
        options.hasNonNull("gracePeriodSeconds")
            ? options.get("gracePeriodSeconds").asLong()
            : null;
    JsonNode preconditions = options.path("preconditions");
    String resource = key.resource();
    return store
        .get(key)
        .compose(
            current -> {
              checkPreconditions(current, preconditions, resource, key.name());
              if (strategy.deletesGracefully(current, grace)) {
                return markDeleted(key, current, grace);
              }
              return store.delete(
                  key, latest -> checkPreconditions(latest, preconditions, resource, key.name()));
            })
        .recover(t -> Future.failedFuture(Responses.translate(t, resource, key.name())));
  }

  /**
   * Graceful deletion: sets deletionTimestamp (now + grace) once; the kubelet finishes with grace
   * 0.
   */
  private Future<ObjectNode> markDeleted(StoreKey key, ObjectNode current, Long requestedGrace) {
    long grace =
        requestedGrace != null
            ? requestedGrace
            : current.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    return store.update(
        key,
        latest -> {
          ObjectNode meta = Meta.metadata(latest);
          long existing = meta.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE);
          if (meta.hasNonNull("deletionTimestamp") && existing <= grace) {
            return latest; // already terminating with an equal or shorter grace period
          }
          meta.put("deletionTimestamp", Times.format(clock.instant().plusSeconds(grace)));
          meta.put("deletionGracePeriodSeconds", grace);
          return latest;
        });
  }

  private static void checkPreconditions(
      ObjectNode current, JsonNode pre, String resource, String name) {
    String uid = Meta.text(pre.get("uid"));
    if (uid != null && !uid.equals(Meta.text(current.path("metadata").get("uid")))) {
      throw StatusException.conflict(
          resource,
          name,
          "Precondition failed: UID in precondition: "
              + uid
              + ", UID in object meta: "
              + Meta.text(current.path("metadata").get("uid")));
    }
    String rv = Meta.text(pre.get("resourceVersion"));
    if (rv != null && !rv.equals(Meta.resourceVersion(current))) {
      throw StatusException.conflict(
          resource,
          name,
          "Precondition failed: ResourceVersion in precondition: "
              + rv
              + ", ResourceVersion in object meta: "
              + Meta.resourceVersion(current));
    }
  }

  private Future<Void> namespaceExists(String namespace) {
    return store
        .get(new StoreKey("namespaces", "", namespace))
        .<Void>mapEmpty()
        .recover(
            t ->
                Future.failedFuture(
                    t instanceof StoreException.NotFound
                        ? StatusException.notFound("namespaces", namespace)
                        : t));
  }

  private static void invalidIfAny(ResourceStrategy strategy, ObjectNode obj) {
    invalidIfAny(strategy, obj, strategy.validate(obj));
  }

  private static void invalidIfAny(
      ResourceStrategy strategy, ObjectNode obj, List<StatusCause> causes) {
    if (!causes.isEmpty()) {
      String name = Meta.name(obj);
      // details.kind is the Kind ("Pod"), as upstream's NewInvalid sets it; kubectl prints "The Pod
      // … is invalid".
      throw StatusException.invalid(
          strategy.type().kind(), strategy.type().kind(), name == null ? "" : name, causes);
    }
  }

  /** Decodes a body that must be a {@code kind} object; puts kind and apiVersion first. */
  static ObjectNode decodeObject(Buffer body, ResourceType type) {
    JsonNode node = Bodies.json(body);
    return toObject(node, type);
  }

  /** A POST/PUT body: JSON, or the protobuf Namespace, ConfigMap or Secret kubectl 1.33 sends. */
  static ObjectNode decodeObject(ApiRequest req, Buffer body, ResourceType type) {
    String contentType = req.http().getHeader("Content-Type");
    String mediaType = contentType == null ? "" : contentType.split(";")[0].trim();
    if (mediaType.equalsIgnoreCase(ProtobufObjects.CONTENT_TYPE)) {
      return toObject(ProtobufObjects.decode(body), type);
    }
    if (!mediaType.isEmpty() && !mediaType.equalsIgnoreCase("application/json")) {
      throw Bodies.unsupportedObjectMediaType(contentType);
    }
    return decodeObject(body, type);
  }

  private static ObjectNode toObject(JsonNode node, ResourceType type) {
    if (!node.isObject()) {
      throw StatusException.badRequest(
          "couldn't get version/kind; json parse error: json: cannot unmarshal "
              + (node.isArray() ? "array" : "string")
              + " into Go value of type struct { APIVersion string "
              + "\"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }");
    }
    String kind = Meta.text(node.get("kind"));
    if (kind != null && !kind.isEmpty() && !kind.equals(type.kind())) {
      throw StatusException.badRequest(
          kind
              + " in version \"v1\" cannot be handled as a "
              + type.kind()
              + ": no kind \""
              + kind
              + "\" is registered for version \"v1\"");
    }
    String apiVersion = Meta.text(node.get("apiVersion"));
    if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals("v1")) {
      throw StatusException.badRequest(
          "the API version in the data ("
              + apiVersion
              + ") does not match the expected API version (v1)");
    }
    ObjectNode obj = ApiJson.mapper().createObjectNode();
    obj.put("kind", type.kind()).put("apiVersion", "v1");
    obj.setAll((ObjectNode) node);
    return obj;
  }

  private static void reply(
      HttpServerResponse resp, int code, ObjectNode result, Throwable failure) {
    if (failure != null) {
      Responses.failure(resp, failure);
    } else {
      Responses.json(resp, code, result);
    }
  }
}
