package io.kubehop.apiserver.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rows of ConfigMaps, Secrets and Events, as upstream's printers make them. */
class ConfigResourcesTableTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private static ObjectNode obj(String json) throws Exception {
    return (ObjectNode) ApiJson.mapper().readTree(json.replace('\'', '"'));
  }

  private static List<String> names(TableConvertor t) {
    return t.columns().stream().map(c -> c.name() + (c.priority() > 0 ? "*" : "")).toList();
  }

  @Test
  void configMapCountsDataAndBinaryData() throws Exception {
    ConfigMapTable t = new ConfigMapTable();
    assertEquals(List.of("Name", "Data", "Age"), names(t));
    assertEquals(
        List.of("c", 3L, "5m"),
        t.cells(
            obj(
                "{'metadata':{'name':'c','creationTimestamp':'2026-01-01T11:55:00Z'},"
                    + "'data':{'a':'1','b':'2'},'binaryData':{'c':'eA=='}}"),
            NOW));
  }

  @Test
  void secretShowsTypeAndDataCount() throws Exception {
    SecretTable t = new SecretTable();
    assertEquals(List.of("Name", "Type", "Data", "Age"), names(t));
    assertEquals(
        List.of("s", "Opaque", 1L, "10s"),
        t.cells(
            obj(
                "{'metadata':{'name':'s','creationTimestamp':'2026-01-01T11:59:50Z'},"
                    + "'type':'Opaque','data':{'password':'eA=='}}"),
            NOW));
  }

  @Test
  void eventColumnsAreUpstreams() {
    assertEquals(
        List.of(
            "Last Seen",
            "Type",
            "Reason",
            "Object",
            "Subobject*",
            "Source*",
            "Message",
            "First Seen*",
            "Count*",
            "Name*"),
        names(new EventTable()));
  }

  @Test
  void legacyEventRow() throws Exception {
    assertEquals(
        List.of(
            "30s",
            "Normal",
            "Pulled",
            "pod/demo",
            "spec.containers{main}",
            "kubelet, node-1",
            "pulled",
            "2m",
            3L,
            "demo.1"),
        new EventTable()
            .cells(
                obj(
                    "{'metadata':{'name':'demo.1'},'type':'Normal','reason':'Pulled',"
                        + "'message':' pulled\\n','involvedObject':{'kind':'Pod','name':'demo',"
                        + "'fieldPath':'spec.containers{main}'},'source':{'component':'kubelet',"
                        + "'host':'node-1'},'firstTimestamp':'2026-01-01T11:58:00Z',"
                        + "'lastTimestamp':'2026-01-01T11:59:30Z','count':3}"),
                NOW));
  }

  @Test
  void newStyleEventRowUsesEventTimeSeriesAndReportingFields() throws Exception {
    List<Object> single =
        new EventTable()
            .cells(
                obj(
                    "{'metadata':{'name':'n'},'eventTime':'2026-01-01T11:59:00.123456Z',"
                        + "'involvedObject':{'kind':'Node'},'reportingComponent':'kubelet',"
                        + "'reportingInstance':'node-1','firstTimestamp':null,'lastTimestamp':null}"),
                NOW);
    // no timestamps: FIRST SEEN from eventTime, LAST SEEN from FIRST SEEN, count 1, object "node";
    // 59.877 s is "59s", as HumanDuration truncates
    assertEquals(List.of("59s", "", "", "node", "", "kubelet, node-1", "", "59s", 1L, "n"), single);
    List<Object> series =
        new EventTable()
            .cells(
                obj(
                    "{'metadata':{'name':'n'},'eventTime':'2026-01-01T11:50:00.000000Z',"
                        + "'series':{'count':7,'lastObservedTime':'2026-01-01T11:59:58.000000Z'},"
                        + "'involvedObject':{'kind':'Pod','name':'p'}}"),
                NOW);
    assertEquals("2s", series.get(0));
    assertEquals("10m", series.get(7));
    assertEquals(7L, series.get(8));
  }
}
