package io.kubehop.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.apiserver.table.EventTable;
import io.kubehop.apiserver.table.TableConvertor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * core/v1 Events: no defaults; upstream's validation of a v1 request ({@code
 * ValidateEventCreate}/{@code ValidateEventUpdate}, which for core/v1 is the legacy check only),
 * and the field selectors {@code kubectl describe} uses. Upstream's {@code eventStrategy} keeps
 * them in storage for {@code --event-ttl}; here {@code EventRetention} does.
 */
public final class EventStrategy implements ResourceStrategy {

  static final int REPORTING_INSTANCE_LIMIT = 128;
  static final int ACTION_LIMIT = 128;
  static final int REASON_LIMIT = 128;
  static final int NOTE_LIMIT = 1024;

  private static final Set<String> FIELDS =
      Set.of(
          "metadata.name",
          "metadata.namespace",
          "involvedObject.kind",
          "involvedObject.namespace",
          "involvedObject.name",
          "involvedObject.uid",
          "involvedObject.apiVersion",
          "involvedObject.resourceVersion",
          "involvedObject.fieldPath",
          "reason",
          "reportingComponent",
          "source",
          "type");

  private final TableConvertor table = new EventTable();
  private volatile Runnable onCreate = () -> {};

  @Override
  public ResourceType type() {
    return ResourceType.EVENTS;
  }

  /** Runs {@code hook} after each event created (the retention's cap check). */
  public EventStrategy onCreate(Runnable hook) {
    this.onCreate = hook;
    return this;
  }

  @Override
  public void afterCreate(ObjectNode created) {
    onCreate.run();
  }

  @Override
  public void prepareForCreate(ObjectNode event) {}

  @Override
  public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
    ObjectMetaDefaults.keepSystemFields(updated, old);
  }

  @Override
  public List<StatusCause> validate(ObjectNode event) {
    List<StatusCause> causes = new ArrayList<>();
    String name = Meta.name(event);
    if (name == null || name.isEmpty()) {
      causes.add(NameValidation.required("metadata.name", "name or generateName is required"));
    }
    String ns = event.path("metadata").path("namespace").asText("");
    String involvedNs = event.path("involvedObject").path("namespace").asText("");
    String eventTime = event.path("eventTime").asText("");
    if (eventTime.isEmpty()) {
      // an "old" event (no eventTime): its namespace is the involved object's
      boolean ok =
          involvedNs.isEmpty() ? ns.isEmpty() || ns.equals("default") : ns.equals(involvedNs);
      if (!ok) {
        causes.add(
            NameValidation.invalid(
                "involvedObject.namespace", involvedNs, "does not match event.namespace"));
      }
    } else {
      if (involvedNs.isEmpty() && !ns.equals("default") && !ns.equals("kube-system")) {
        causes.add(
            NameValidation.invalid(
                "involvedObject.namespace", involvedNs, "does not match event.namespace"));
      }
      String controller = event.path("reportingComponent").asText("");
      if (controller.isEmpty()) {
        causes.add(NameValidation.required("reportingComponent", null));
      }
      limit(causes, event, "reportingInstance", REPORTING_INSTANCE_LIMIT, true);
      limit(causes, event, "action", ACTION_LIMIT, true);
      limit(causes, event, "reason", REASON_LIMIT, true);
      limit(causes, event, "message", NOTE_LIMIT, false);
    }
    return causes;
  }

  private static void limit(
      List<StatusCause> causes, ObjectNode event, String field, int max, boolean required) {
    String v = event.path(field).asText("");
    if (required && v.isEmpty()) {
      causes.add(NameValidation.required(field, null));
    }
    if (v.length() > max) {
      causes.add(NameValidation.invalid(field, "", "can have at most " + max + " characters"));
    }
  }

  @Override
  public Map<String, String> selectableFields(ObjectNode event) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("metadata.name", event.path("metadata").path("name").asText(""));
    f.put("metadata.namespace", event.path("metadata").path("namespace").asText(""));
    JsonNode io = event.path("involvedObject");
    for (String k :
        List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")) {
      f.put("involvedObject." + k, io.path(k).asText(""));
    }
    f.put("reason", event.path("reason").asText(""));
    f.put("reportingComponent", event.path("reportingComponent").asText(""));
    f.put("source", event.path("source").path("component").asText(""));
    f.put("type", event.path("type").asText(""));
    return f;
  }

  @Override
  public Set<String> selectableFieldNames() {
    return FIELDS;
  }

  @Override
  public TableConvertor table() {
    return table;
  }
}
