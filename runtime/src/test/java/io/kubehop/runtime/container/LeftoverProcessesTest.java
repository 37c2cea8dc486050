package io.kubehop.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.testkit.Await;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a killed runtime left running is ended by the next one: the session of each recorded
 * container whose main process is still the one recorded (same pid, same start time), and nothing
 * else.
 */
class LeftoverProcessesTest {

  @TempDir Path dir;

  /** {@code setsid sh -c 'sleep 600 & sleep 600'}: a session leader and a child in its session. */
  private static Process session() throws Exception {
    return new ProcessBuilder("setsid", "sh", "-c", "sleep 600 & exec sleep 600").start();
  }

  private void record(String id, long pid, Long started) throws Exception {
    JsonObject record = new JsonObject().put("pid", pid);
    if (started != null) {
      record.put(LeftoverProcesses.PROCESS_STARTED, started);
    }
    Files.writeString(dir.resolve(id + ".json"), record.encodePrettily());
  }

  @Test
  void killsTheWholeSessionOfARecordedContainerThatStillRuns() throws Exception {
    Process leader = session();
    try {
      Await.until("the child in the session", () -> leader.descendants().count() == 1);
      ProcessHandle child = leader.descendants().findFirst().orElseThrow();
      record("c1", leader.pid(), LeftoverProcesses.startedAt(leader.pid()).orElseThrow());

      assertEquals(1, LeftoverProcesses.kill(dir));
      Await.until("the leader killed", Duration.ofSeconds(5), () -> !leader.isAlive());
      Await.until("its child killed", Duration.ofSeconds(5), () -> !child.isAlive());
    } finally {
      leader.descendants().forEach(ProcessHandle::destroyForcibly);
      leader.destroyForcibly();
    }
  }

  @Test
  void sparesAProcessThatOnlyReusesTheRecordedPidOrHasNoStartTime() throws Exception {
    Process leader = session();
    try {
      long started = LeftoverProcesses.startedAt(leader.pid()).orElseThrow();
      record("reused", leader.pid(), started - 1000);
      record("old-format", leader.pid(), null);
      record("gone", Long.MAX_VALUE / 2, started);
      Files.writeString(dir.resolve("torn.json"), "{\"pid\": 1");

      assertEquals(0, LeftoverProcesses.kill(dir));
      assertTrue(leader.isAlive());
      assertFalse(leader.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS));
    } finally {
      leader.descendants().forEach(ProcessHandle::destroyForcibly);
      leader.destroyForcibly();
    }
  }

  @Test
  void aMissingDirectoryHoldsNothing() throws Exception {
    assertEquals(0, LeftoverProcesses.kill(dir.resolve("none")));
  }
}
