package io.kubehop.apiserver.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.registry.Meta;
import io.kubehop.apiserver.registry.ResourceStrategy;
import io.kubehop.apiserver.selection.FieldSelector;
import io.kubehop.apiserver.selection.LabelSelector;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreKey;
import io.kubehop.apiserver.table.TableBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** GET of one object and of lists, as JSON or as a Table when the Accept header asks for one. */
public final class ResourceReads {

  private final Store store;
  private final Clock clock;

  public ResourceReads(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Filtering of a list or watch by {@code labelSelector} and {@code fieldSelector}. */
  public record Selection(LabelSelector labels, FieldSelector fields, ResourceStrategy strategy) {
    public static Selection of(ApiRequest req, ResourceStrategy strategy) {
      String fields = req.param("fieldSelector");
      if (req.name() != null) {
        // A watch of one named object (…/pods/{name}?watch=true) is a watch filtered by its name.
        String byName = "metadata.name=" + req.name();
        fields = fields == null || fields.isEmpty() ? byName : fields + "," + byName;
      }
      return new Selection(
          LabelSelector.parse(req.param("labelSelector")),
          FieldSelector.parse(fields, strategy.selectableFieldNames()),
          strategy);
    }

    public boolean matches(ObjectNode o) {
      return labels.matches(Meta.labels(o)) && fields.matches(strategy.selectableFields(o));
    }
  }

  public void get(ApiRequest req, ResourceStrategy strategy) {
    StoreKey key = new StoreKey(strategy.type().resource(), req.namespace(), req.name());
    store
        .get(key)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                Responses.failure(
                    req.http().response(),
                    Responses.translate(ar.cause(), key.resource(), req.name()));
                return;
              }
              String table = MediaTypes.tableVersion(req.http().getHeader("Accept"));
              if (table != null && req.subresource() == null) {
                ObjectNode t =
                    TableBuilder.build(
                        strategy.table(), List.of(ar.result()), null, clock.instant());
                t.put("apiVersion", "meta.k8s.io/" + table);
                Responses.json(req.http().response(), 200, t);
              } else {
                Responses.json(req.http().response(), 200, strategy.toExternal(ar.result()));
              }
            });
  }

  public void list(ApiRequest req, ResourceStrategy strategy) {
    Selection selection = Selection.of(req, strategy);
    long limit = parseLimit(req.param("limit"));
    store
        .list(strategy.type().resource(), req.namespace())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                Responses.failure(req.http().response(), ar.cause());
                return;
              }
              List<ObjectNode> items = new ArrayList<>();
              for (ObjectNode o : ar.result().items()) {
                if (selection.matches(o) && (limit <= 0 || items.size() < limit)) {
                  items.add(o);
                }
              }
              String rv = Long.toString(ar.result().resourceVersion());
              String table = MediaTypes.tableVersion(req.http().getHeader("Accept"));
              if (table != null) {
                ObjectNode t = TableBuilder.build(strategy.table(), items, rv, clock.instant());
                t.put("apiVersion", "meta.k8s.io/" + table);
                Responses.json(req.http().response(), 200, t);
                return;
              }
              ObjectNode list = ApiJson.mapper().createObjectNode();
              list.put("kind", strategy.type().listKind()).put("apiVersion", strategy.apiVersion());
              list.putObject("metadata").put("resourceVersion", rv);
              ArrayNode array = list.putArray("items");
              for (ObjectNode stored : items) {
                ObjectNode o = strategy.toExternal(stored);
                o.remove("kind");
                o.remove("apiVersion");
                array.add(o);
              }
              Responses.json(req.http().response(), 200, list);
            });
  }

  static long parseLimit(String limit) {
    if (limit == null || limit.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(limit);
    } catch (NumberFormatException e) {
      throw StatusException.badRequest(
          "invalid value for limit: strconv.ParseInt: parsing \"" + limit + "\": invalid syntax");
    }
  }
}
