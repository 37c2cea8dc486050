package io.kubehop.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.apiserver.table.TableConvertor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code events.k8s.io/v1} Events, get, list and watch only: the stored core/v1 events converted as
 * upstream's {@code Convert_core_Event_To_v1_Event} does (regarding ← involvedObject, note ←
 * message, reportingController ← reportingComponent, deprecatedSource/FirstTimestamp/LastTimestamp/
 * Count ← source/firstTimestamp/lastTimestamp/count). Selection and tables are those of core/v1.
 */
public final class EventsV1Strategy implements ResourceStrategy {

  public static final String API_VERSION = "events.k8s.io/v1";

  private final EventStrategy core;

  public EventsV1Strategy(EventStrategy core) {
    this.core = core;
  }

  @Override
  public ResourceType type() {
    return ResourceType.EVENTS_V1;
  }

  @Override
  public String apiVersion() {
    return API_VERSION;
  }

  @Override
  public ObjectNode toExternal(ObjectNode e) {
    ObjectNode v1 = ApiJson.mapper().createObjectNode();
    v1.put("kind", "Event").put("apiVersion", API_VERSION);
    copy(e, "metadata", v1, "metadata");
    // eventTime is required in events.k8s.io/v1; a legacy event's zero MicroTime encodes as null
    if (e.hasNonNull("eventTime")) {
      v1.set("eventTime", e.get("eventTime"));
    } else {
      v1.putNull("eventTime");
    }
    copy(e, "series", v1, "series");
    copy(e, "reportingComponent", v1, "reportingController");
    copy(e, "reportingInstance", v1, "reportingInstance");
    copy(e, "action", v1, "action");
    copy(e, "reason", v1, "reason");
    copy(e, "involvedObject", v1, "regarding");
    copy(e, "related", v1, "related");
    copy(e, "message", v1, "note");
    copy(e, "type", v1, "type");
    copy(e, "source", v1, "deprecatedSource");
    copy(e, "firstTimestamp", v1, "deprecatedFirstTimestamp");
    copy(e, "lastTimestamp", v1, "deprecatedLastTimestamp");
    copy(e, "count", v1, "deprecatedCount");
    return v1;
  }

  private static void copy(ObjectNode from, String field, ObjectNode to, String as) {
    JsonNode v = from.get(field);
    if (v != null && !v.isNull() && !(v.isTextual() && v.asText().isEmpty())) {
      to.set(as, v.deepCopy());
    }
  }

  @Override
  public void prepareForCreate(ObjectNode object) {
    throw new UnsupportedOperationException("events.k8s.io/v1 events are read-only here");
  }

  @Override
  public List<StatusCause> validate(ObjectNode object) {
    return core.validate(object);
  }

  @Override
  public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
    throw new UnsupportedOperationException("events.k8s.io/v1 events are read-only here");
  }

  @Override
  public Map<String, String> selectableFields(ObjectNode object) {
    return core.selectableFields(object);
  }

  @Override
  public Set<String> selectableFieldNames() {
    return core.selectableFieldNames();
  }

  @Override
  public TableConvertor table() {
    return core.table();
  }
}
