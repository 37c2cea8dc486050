package io.kubehop.apiserver.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.util.HumanDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TableTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @ParameterizedTest
  @CsvSource({
    "0,0s",
    "5,5s",
    "119,119s",
    "120,2m",
    "182,3m2s",
    "300,5m",
    "600,10m",
    "10799,179m",
    "10800,3h",
    "11100,3h5m",
    "28800,8h",
    "183600,2d3h",
    "172800,2d",
    "691200,8d",
    "63072000,2y",
    "63158400,2y1d",
    "315360000,10y"
  })
  void humanDuration(long seconds, String expected) {
    assertEquals(expected, HumanDuration.format(Duration.ofSeconds(seconds)));
  }

  private static ObjectNode pod(String statusJson, String extraMeta) throws Exception {
    return (ObjectNode)
        ApiJson.mapper()
            .readTree(
                ("{'metadata':{'name':'p','creationTimestamp':"
                        + "'2026-01-01T11:55:00Z'"
                        + extraMeta
                        + "},'spec':{'containers':[{'name':'c'}],'nodeName':'n1'},"
                        + "'status':"
                        + statusJson
                        + "}")
                    .replace('\'', '"'));
  }

  private static List<Object> cells(String status, String extraMeta) throws Exception {
    return new PodTable().cells(pod(status, extraMeta), NOW);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'phase':'Pending'}|Pending|0/1",
        "{'phase':'Pending','containerStatuses':[{'name':'c','state':{'waiting':{'reason':'ContainerCreating'}}}]}|ContainerCreating|0/1",
        "{'phase':'Running','containerStatuses':[{'name':'c','ready':true,'state':{'running':{}}}]}|Running|1/1",
        "{'phase':'Succeeded','containerStatuses':[{'name':'c','state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}|Completed|0/1",
        "{'phase':'Failed','containerStatuses':[{'name':'c','state':{'terminated':{'exitCode':1,'reason':'Error'}}}]}|Error|0/1",
        "{'phase':'Running','containerStatuses':[{'name':'c','state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}|CrashLoopBackOff|0/1",
        "{'phase':'Failed','containerStatuses':[{'name':'c','state':{'terminated':{'exitCode':137}}}]}|ExitCode:137|0/1"
      })
  void statusColumn(String status, String expected, String ready) throws Exception {
    List<Object> row = cells(status, "");
    assertEquals(List.of("p", ready, expected, "0", "5m"), row.subList(0, 5));
  }

  @Test
  void deletionTimestampMeansTerminating() throws Exception {
    List<Object> row =
        cells(
            "{'phase':'Running','containerStatuses':[{'name':'c','ready':true,'state':{'running':{}}}]}",
            ",'deletionTimestamp':'2026-01-01T12:00:30Z'");
    assertEquals("Terminating", row.get(2));
  }

  @Test
  void restartsShowTheLastRestartAndWideColumns() throws Exception {
    List<Object> row =
        cells(
            "{'phase':'Running','podIP':'127.20.1.2','containerStatuses':[{'name':'c','restartCount':3,"
                + "'state':{'running':{}},'lastState':{'terminated':{'exitCode':1,'finishedAt':'2026-01-01T11:58:00Z'}}}]}",
            "");
    assertEquals(
        List.of("p", "0/1", "Running", "3 (2m ago)", "5m", "127.20.1.2", "n1", "<none>", "<none>"),
        row);
  }

  @Test
  void nodeStatusAndRoles() throws Exception {
    ObjectNode node =
        (ObjectNode)
            ApiJson.mapper()
                .readTree(
                    ("{'metadata':{'name':'n','creationTimestamp':"
                            + "'2026-01-01T11:00:00Z','labels':{'node-role.kubernetes.io/control-plane':''}},'spec':{'unschedulable':true},"
                            + "'status':{'conditions':[{'type':'Ready','status':'Unknown'}],'addresses':[{'type':'InternalIP','address':'127.0.1.1'}],"
                            + "'nodeInfo':{'kubeletVersion':'v1.30.0'}}}")
                        .replace('\'', '"'));
    assertEquals(
        List.of(
            "n",
            "NotReady,SchedulingDisabled",
            "control-plane",
            "60m",
            "v1.30.0",
            "127.0.1.1",
            "<none>",
            "<unknown>",
            "<unknown>",
            "<unknown>"),
        new NodeTable().cells(node, NOW));
  }
}
