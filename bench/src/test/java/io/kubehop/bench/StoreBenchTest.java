package io.kubehop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StoreBenchTest {

  @Test
  void aWatchEventsNameIsItsObjectsMetadataName() {
    String event =
        "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":"
            + "{\"name\":\"etcd-3\",\"namespace\":\"fan-10-x\"},\"spec\":{\"containers\":"
            + "[{\"name\":\"main\"}]}}}";
    assertEquals("etcd-3", StoreBench.name(event));
    assertEquals("", StoreBench.name("{\"type\":\"BOOKMARK\"}"));
  }

  @Test
  void thePodIsBoundToANodeThatDoesNotExist() {
    JsonObject pod = new JsonObject(StoreBench.pod("p-1"));
    assertEquals("p-1", pod.getJsonObject("metadata").getString("name"));
    assertTrue(pod.getJsonObject("spec").getString("nodeName").startsWith("store-bench"));
  }
}
