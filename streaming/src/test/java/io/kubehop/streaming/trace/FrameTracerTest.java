package io.kubehop.streaming.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file gets every event, numbered; memory keeps the latest, per session, after a number. */
class FrameTracerTest {

  @Test
  void remembersTheLatestEventsOfASessionAfterAGivenNumber(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("frames.jsonl");
    FrameTracer tracer = FrameTracer.to(file, "kubelet", FrameTracer.ALL);
    int total = FrameTracer.RECENT + 10;
    for (int i = 0; i < total; i++) {
      tracer.record(new JsonObject().put("session", i % 2 == 0 ? "even" : "odd").put("i", i));
    }
    List<JsonObject> even = tracer.recent("even", 0);
    assertEquals(FrameTracer.RECENT / 2, even.size(), "only the latest stay in memory");
    assertEquals(total - 1 - 1, even.get(even.size() - 1).getInteger("i"));
    long last = even.get(even.size() - 1).getLong("seq");
    assertEquals(total - 1, last, "seq counts every event of the tier, from 1");
    assertTrue(tracer.recent("even", last).isEmpty());
    assertEquals(1, tracer.recent("odd", last).size());
    tracer.close();
    List<String> lines = Files.readAllLines(file);
    assertEquals(total, lines.size(), "the file keeps them all");
    assertEquals(1, new JsonObject(lines.get(0)).getLong("seq"));
    assertEquals("kubelet", new JsonObject(lines.get(0)).getString("tier"));
  }

  @Test
  void timesSortAsText() {
    String a = FrameTracer.now();
    assertTrue(a.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), a);
  }
}
