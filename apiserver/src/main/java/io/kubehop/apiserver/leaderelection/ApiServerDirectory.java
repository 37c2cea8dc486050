package io.kubehop.apiserver.leaderelection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.apiserver.storage.Store;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /debug/apiservers}: every apiserver sharing this one's store, from their identity
 * Leases ({@link IdentityLease}), so that a client behind a balancer can ask each one directly:
 *
 * <pre>
 * {"apiservers": [
 *   {"id": "apiserver-1", "url": "https://127.0.0.1:40001", "lease": "apiserver-6f1c…",
 *    "renewTime": "2026-12-05T06:30:01.123456Z", "leaseDurationSeconds": 10},
 *   …]}
 * </pre>
 *
 * sorted by id, expired Leases (a killed apiserver's) included: the client decides, on its own
 * clock, which it still asks. With the file store there is one apiserver and no identity Lease: the
 * answer names this one alone, without the Lease's fields.
 */
public final class ApiServerDirectory {

  /** The path every apiserver serves the directory on. */
  public static final String PATH = "/debug/apiservers";

  private final Store store;
  private final String id;
  private final Supplier<String> url;
  private final boolean leases;

  /**
   * @param url this apiserver's own URL, known once it listens
   * @param leases whether the apiservers keep identity Leases in {@code store} (etcd); false: this
   *     apiserver is alone
   */
  public ApiServerDirectory(Store store, String id, Supplier<String> url, boolean leases) {
    this.store = store;
    this.id = id;
    this.url = url;
    this.leases = leases;
  }

  public Future<JsonNode> view() {
    if (!leases) {
      ObjectNode self = ApiJson.mapper().createObjectNode().put("id", id).put("url", url.get());
      return Future.succeededFuture(wrap(List.of(self)));
    }
    return store
        .list("leases", IdentityLease.NAMESPACE)
        .map(
            listing -> {
              List<ObjectNode> entries = new ArrayList<>();
              for (ObjectNode lease : listing.items()) {
                JsonNode metadata = lease.path("metadata");
                if (!IdentityLease.LABEL_VALUE.equals(
                    metadata.path("labels").path(IdentityLease.LABEL).asText())) {
                  continue;
                }
                JsonNode spec = lease.path("spec");
                ObjectNode entry = ApiJson.mapper().createObjectNode();
                entry.put("id", spec.path("holderIdentity").asText());
                entry.put(
                    "url",
                    metadata.path("annotations").path(IdentityLease.URL_ANNOTATION).asText());
                entry.put("lease", metadata.path("name").asText());
                entry.put("renewTime", spec.path("renewTime").asText());
                entry.put("leaseDurationSeconds", spec.path("leaseDurationSeconds").asLong());
                entries.add(entry);
              }
              entries.sort(Comparator.comparing(e -> e.path("id").asText()));
              return wrap(entries);
            });
  }

  private static JsonNode wrap(List<ObjectNode> entries) {
    ObjectNode root = ApiJson.mapper().createObjectNode();
    ArrayNode list = root.putArray("apiservers");
    entries.forEach(list::add);
    return root;
  }
}
