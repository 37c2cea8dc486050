package io.kubehop.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.api.meta.StatusException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ConfigMap, Secret and Event defaulting and validation, with upstream's messages. */
class ConfigResourcesValidationTest {

  private static final String KEY_MSG =
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
          + "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
          + "'[-._a-zA-Z0-9]+')";

  private final ConfigMapStrategy configMaps = new ConfigMapStrategy();
  private final SecretStrategy secrets = new SecretStrategy();
  private final EventStrategy events = new EventStrategy();

  private static ObjectNode obj(String json) throws Exception {
    return (ObjectNode) ApiJson.mapper().readTree(json.replace('\'', '"'));
  }

  private static String message(String kind, ObjectNode o, List<StatusCause> causes) {
    return StatusException.invalid(kind, kind, Meta.name(o), causes).getMessage();
  }

  @Test
  void configMapKeysFollowUpstream() throws Exception {
    ObjectNode cm =
        obj("{'metadata':{'name':'c','namespace':'d'},'data':{'a b':'x','ok.key':'y'}}");
    assertEquals(
        "ConfigMap \"c\" is invalid: data[a b]: Invalid value: \"a b\": " + KEY_MSG,
        message("ConfigMap", cm, configMaps.validate(cm)));
    ObjectNode dots = obj("{'metadata':{'name':'c'},'data':{'..x':'1'}}");
    assertEquals(
        "ConfigMap \"c\" is invalid: data[..x]: Invalid value: \"..x\": must not start with '..'",
        message("ConfigMap", dots, configMaps.validate(dots)));
  }

  @Test
  void aKeyInDataAndBinaryDataIsADuplicate() throws Exception {
    ObjectNode cm = obj("{'metadata':{'name':'c'},'data':{'k':'v'},'binaryData':{'k':'dg=='}}");
    assertEquals(
        "ConfigMap \"c\" is invalid: data[k]: Invalid value: \"k\": "
            + "duplicate of key present in binaryData",
        message("ConfigMap", cm, configMaps.validate(cm)));
  }

  @Test
  void configMapsAreAtMostOneMebibyte() throws Exception {
    ObjectNode cm = obj("{'metadata':{'name':'c'}}");
    cm.putObject("data").put("a", "x".repeat(1024 * 1024 - 1)).put("b", "y");
    assertEquals(List.of(), configMaps.validate(cm));
    ((ObjectNode) cm.get("data")).put("c", "z");
    assertEquals(
        "ConfigMap \"c\" is invalid: : Too long: must have at most 1048576 bytes",
        message("ConfigMap", cm, configMaps.validate(cm)));
  }

  @Test
  void immutableConfigMapsKeepTheirData() throws Exception {
    ObjectNode old = obj("{'metadata':{'name':'c'},'immutable':true,'data':{'a':'b'}}");
    ObjectNode changed = obj("{'metadata':{'name':'c'},'immutable':true,'data':{'a':'c'}}");
    assertEquals(
        "ConfigMap \"c\" is invalid: data: Forbidden: field is immutable when `immutable` is set",
        message("ConfigMap", changed, configMaps.validateUpdate(changed, old)));
    ObjectNode unset = obj("{'metadata':{'name':'c'},'data':{'a':'b'}}");
    assertEquals(
        "ConfigMap \"c\" is invalid: immutable: Forbidden: field is immutable when `immutable` is"
            + " set",
        message("ConfigMap", unset, configMaps.validateUpdate(unset, old)));
    assertEquals(List.of(), configMaps.validateUpdate(old.deepCopy(), old));
  }

  @Test
  void secretsDefaultToOpaqueAndMergeStringData() throws Exception {
    ObjectNode s =
        obj("{'metadata':{'name':'s'},'data':{'a':'eA==','b':'eQ=='},'stringData':{'b':'pw'}}");
    secrets.prepareForCreate(s);
    assertEquals("Opaque", s.path("type").asText());
    assertFalse(s.has("stringData"));
    assertEquals("{\"a\":\"eA==\",\"b\":\"cHc=\"}", s.get("data").toString());
    assertEquals(List.of(), secrets.validate(s));
  }

  @Test
  void secretDataMustBeBase64() throws Exception {
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> secrets.prepareForCreate(obj("{'metadata':{'name':'s'},'data':{'a':'e!=='}}")));
    assertEquals(
        "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input"
            + " byte 1",
        e.getMessage());
  }

  @Test
  void secretTypesRequireTheirKeysAndTypeIsImmutable() throws Exception {
    ObjectNode tls = obj("{'metadata':{'name':'t'},'type':'kubernetes.io/tls','data':{}}");
    assertEquals(
        "Secret \"t\" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]",
        message("Secret", tls, secrets.validate(tls)));
    ObjectNode old = obj("{'metadata':{'name':'s'},'type':'Opaque'}");
    ObjectNode changed = obj("{'metadata':{'name':'s'},'type':'Other'}");
    assertEquals(
        "Secret \"s\" is invalid: type: Invalid value: \"Other\": field is immutable",
        message("Secret", changed, secrets.validateUpdate(changed, old)));
  }

  @Test
  void secretsSelectByType() throws Exception {
    ObjectNode s = obj("{'metadata':{'name':'s','namespace':'d'},'type':'Opaque'}");
    assertEquals("Opaque", secrets.selectableFields(s).get("type"));
    assertEquals(
        Set.of("metadata.name", "metadata.namespace", "type"), secrets.selectableFieldNames());
  }

  @Test
  void eventsOfAnotherNamespaceAreInvalid() throws Exception {
    ObjectNode ok =
        obj(
            "{'metadata':{'name':'e','namespace':'default'},'involvedObject':{'kind':'Pod',"
                + "'namespace':'default','name':'demo'},'reason':'Pulled'}");
    assertEquals(List.of(), events.validate(ok));
    ObjectNode bad =
        obj(
            "{'metadata':{'name':'e','namespace':'default'},'involvedObject':{'kind':'Pod',"
                + "'namespace':'other','name':'demo'}}");
    assertEquals(
        "Event \"e\" is invalid: involvedObject.namespace: Invalid value: \"other\": does not"
            + " match event.namespace",
        message("Event", bad, events.validate(bad)));
  }

  @Test
  void newStyleEventsNeedReportingFields() throws Exception {
    ObjectNode e =
        obj(
            "{'metadata':{'name':'e','namespace':'default'},'eventTime':'2026-01-01T00:00:00.000000Z',"
                + "'involvedObject':{'namespace':'default'}}");
    assertEquals(
        "Event \"e\" is invalid: [reportingComponent: Required value, reportingInstance: Required"
            + " value, action: Required value, reason: Required value]",
        message("Event", e, events.validate(e)));
  }

  @Test
  void eventsSelectByWhatDescribeAsks() throws Exception {
    ObjectNode e =
        obj(
            "{'metadata':{'name':'e','namespace':'default'},'involvedObject':{'kind':'Pod',"
                + "'namespace':'default','name':'demo','uid':'u1'},'reason':'Pulled',"
                + "'source':{'component':'kubelet'},'type':'Normal'}");
    var f = events.selectableFields(e);
    assertEquals("demo", f.get("involvedObject.name"));
    assertEquals("u1", f.get("involvedObject.uid"));
    assertEquals("Pod", f.get("involvedObject.kind"));
    assertEquals("kubelet", f.get("source"));
    assertEquals("", f.get("involvedObject.fieldPath"));
    assertEquals(f.keySet(), events.selectableFieldNames());
  }
}
