package io.kubehop.runtime.container;

import io.kubehop.runtime.process.ProcessSession;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The containers of a runtime that was killed ({@code kill -9}, an OOM kill) outlive it: a
 * container's main process leads a session of its own and is reparented to init, and nothing can
 * reattach to its pipes. A runtime that starts ends them, as their records (which it is about to
 * discard) say: every live process of each recorded container's session, provided the process with
 * the recorded pid is the one the runtime started (the same start time), not a later process that
 * reuses the pid. The kubelet then finds the sandboxes gone and starts the pods anew.
 */
public final class LeftoverProcesses {

  private static final Logger LOG = Logger.getLogger(LeftoverProcesses.class.getName());

  /** The record field with the main process's start time (ms since the epoch). */
  static final String PROCESS_STARTED = "processStartedMillis";

  private LeftoverProcesses() {}

  /**
   * Kills the sessions of the containers recorded under {@code containersDir} whose main process
   * still runs; returns how many. Blocking.
   */
  public static int kill(Path containersDir) throws IOException {
    if (!Files.isDirectory(containersDir)) {
      return 0;
    }
    int killed = 0;
    try (Stream<Path> files = Files.list(containersDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (!file.getFileName().toString().endsWith(".json")) {
          continue;
        }
        JsonObject record;
        try {
          record = new JsonObject(Files.readString(file));
        } catch (IOException | RuntimeException unreadable) {
          continue; // half a record of a runtime killed while writing: nothing to go by
        }
        long pid = record.getLong("pid", 0L);
        Long started = record.getLong(PROCESS_STARTED);
        if (pid <= 0 || started == null || !startedAt(pid).equals(Optional.of(started))) {
          continue;
        }
        ProcessSession.kill(pid);
        killed++;
        LOG.info(
            "killed the processes of container "
                + file.getFileName().toString().replace(".json", "")
                + " (pid "
                + pid
                + ") left by a previous run");
      }
    }
    return killed;
  }

  /** When the process {@code pid} started (ms since the epoch), if it runs. */
  static Optional<Long> startedAt(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(Instant::toEpochMilli);
  }
}
