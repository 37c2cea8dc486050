package io.kubehop.streaming.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Fault rules as written by people and sent as JSON, and the table that holds them. */
class FaultRuleTest {

  @Test
  void sizesAndDurationsAsPeopleWriteThem() {
    assertEquals(1 << 20, Units.bytes("1MiB"));
    assertEquals(10 * 1024, Units.bytes("10KiB"));
    assertEquals(10_000_000, Units.bytes("10MB"));
    assertEquals(4096, Units.bytes("4096"));
    assertEquals(Duration.ofMillis(200), Units.duration("200ms"));
    assertEquals(Duration.ofSeconds(5), Units.duration("5s"));
    assertEquals(Duration.ofMinutes(2), Units.duration("2m"));
    assertEquals("1MiB", Units.size(1 << 20));
    assertEquals("1500B", Units.size(1500));
    assertEquals("200ms", Units.duration(Duration.ofMillis(200)));
    assertEquals(
        "invalid size \"lots\" (e.g. 4096, 512KiB, 1MiB, 10MB)",
        assertThrows(IllegalArgumentException.class, () -> Units.bytes("lots")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Units.duration("5"));
  }

  @Test
  void everyFaultGoesToJsonAndBack() {
    List<Fault> faults =
        List.of(
            new Fault.Latency(Duration.ofMillis(200)),
            new Fault.Bandwidth(1 << 20),
            new Fault.Stall(),
            Fault.Reset.afterBytes(1 << 20),
            Fault.Reset.afterTime(Duration.ofSeconds(5)),
            new Fault.IdleCut(Duration.ofSeconds(60)),
            new Fault.SlowReader(10 * 1024));
    for (Fault f : faults) {
      FaultRule rule =
          new FaultRule(
              "f1", Hop.KUBELET_RUNTIME, Optional.of("abcdef0123456789"), f, Instant.EPOCH);
      assertEquals(rule, FaultRule.fromJson(new JsonObject(rule.toJson().encode())), f.describe());
    }
    assertEquals(
        "{\"hop\":\"apiserver-kubelet\",\"session\":null,\"fault\":{\"type\":\"reset\",\"afterBytes\":1048576}}",
        new FaultRule(
                "",
                Hop.APISERVER_KUBELET,
                Optional.empty(),
                Fault.Reset.afterBytes(1 << 20),
                Instant.EPOCH)
            .requestJson()
            .encode());
    assertEquals(
        "reset after 1MiB on apiserver-kubelet (all sessions)",
        FaultRule.request(
                new JsonObject(
                    "{\"hop\":\"apiserver-kubelet\",\"fault\":{\"type\":\"reset\",\"afterBytes\":1048576}}"))
            .describe());
  }

  @Test
  void malformedRulesAreRefusedWithAReason() {
    assertEquals(
        "unknown hop \"client-kubelet\", one of: client-apiserver, apiserver-kubelet, kubelet-runtime",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    FaultRule.request(
                        new JsonObject(
                            "{\"hop\":\"client-kubelet\",\"fault\":{\"type\":\"stall\"}}")))
            .getMessage());
    assertEquals(
        "unknown fault type \"flood\", one of latency, bandwidth, stall, reset, idle-cut, slow-reader",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    FaultRule.request(
                        new JsonObject(
                            "{\"hop\":\"client-apiserver\",\"fault\":{\"type\":\"flood\"}}")))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Fault.Bandwidth(0));
    assertThrows(IllegalArgumentException.class, () -> new Fault.Reset(1, Duration.ofSeconds(1)));
  }

  @Test
  void aTableMatchesByHopAndSessionAndClearsByHop() {
    FaultTable table = new FaultTable();
    FaultRule all =
        table.add(
            new FaultRule(
                "", Hop.APISERVER_KUBELET, Optional.empty(), new Fault.Stall(), Instant.EPOCH));
    FaultRule one =
        table.add(
            new FaultRule(
                "", Hop.CLIENT_APISERVER, Optional.of("s1"), new Fault.Stall(), Instant.EPOCH));
    assertEquals("f1", all.id());
    assertEquals("f2", one.id());
    assertEquals(List.of(all), table.matching(Hop.APISERVER_KUBELET, "s2"));
    assertEquals(List.of(one), table.matching(Hop.CLIENT_APISERVER, "s1"));
    assertTrue(table.matching(Hop.CLIENT_APISERVER, "s2").isEmpty());
    assertEquals(1, table.active(Hop.CLIENT_APISERVER, "stall"));
    int[] told = {0};
    table.listen(() -> told[0]++);
    assertEquals(1, table.clear(Optional.of(Hop.CLIENT_APISERVER)));
    assertEquals(1, told[0]);
    assertFalse(table.remove("f2"));
    assertTrue(table.remove("f1"));
    assertTrue(table.rules().isEmpty());
  }

  @Test
  void aTierRefusesAHopItDoesNotPlay() {
    DebugFaults kubelet =
        new DebugFaults("kubelet", java.util.Set.of(Hop.KUBELET_RUNTIME), new FaultTable());
    assertEquals(
        "the kubelet does not play hop apiserver-kubelet (the apiserver does)",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    kubelet.add(
                        new JsonObject(
                            "{\"hop\":\"apiserver-kubelet\",\"fault\":{\"type\":\"stall\"}}")))
            .getMessage());
    assertEquals(
        "f1",
        kubelet
            .add(new JsonObject("{\"hop\":\"kubelet-runtime\",\"fault\":{\"type\":\"stall\"}}"))
            .id());
    assertEquals(1, kubelet.list().getJsonArray("faults").size());
  }
}
