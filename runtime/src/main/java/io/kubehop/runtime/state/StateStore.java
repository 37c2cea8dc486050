package io.kubehop.runtime.state;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Persists sandbox and container records as JSON files under the runtime's state dir ({@code
 * sandboxes/<id>.json}, {@code containers/<id>.json}) so that {@code kubehop status} and a human
 * can see what the runtime runs. Writes happen in order on one dedicated thread (never on an event
 * loop); each file is replaced atomically, so a reader never sees half a record.
 */
public final class StateStore implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(StateStore.class.getName());

  /** The record kinds, which are also the directory names. */
  public enum Kind {
    SANDBOXES("sandboxes"),
    CONTAINERS("containers");

    private final String dir;

    Kind(String dir) {
      this.dir = dir;
    }

    /** The directory, under the state dir, of this kind's records. */
    public String dir() {
      return dir;
    }
  }

  private final Path root;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "runtime-state-writer");
            thread.setDaemon(true);
            return thread;
          });

  public StateStore(Path root) {
    this.root = root;
  }

  /** The state directory. */
  public Path root() {
    return root;
  }

  /**
   * Creates the directories and deletes records left by a previous run: their processes died with
   * that runtime or were killed since ({@code LeftoverProcesses}), so they describe nothing that
   * exists. Blocking; call before serving.
   */
  public int discardStaleRecords() throws IOException {
    int discarded = 0;
    for (Kind kind : Kind.values()) {
      Path dir = root.resolve(kind.dir);
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(file);
          discarded++;
        }
      }
    }
    return discarded;
  }

  /** Writes (replaces) a record; the returned future completes once it is on disk. */
  public CompletableFuture<Void> save(Kind kind, String id, JsonObject record) {
    String json = record.encodePrettily();
    return CompletableFuture.runAsync(
        () -> {
          Path file = root.resolve(kind.dir).resolve(id + ".json");
          Path temp = file.resolveSibling(id + ".json.tmp");
          try {
            Files.writeString(temp, json + "\n");
            Files.move(
                temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          } catch (IOException e) {
            LOG.log(Level.WARNING, "could not persist " + kind.dir + "/" + id + ": " + e, e);
          }
        },
        writer);
  }

  /** Deletes a record. */
  public CompletableFuture<Void> delete(Kind kind, String id) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            Files.deleteIfExists(root.resolve(kind.dir).resolve(id + ".json"));
          } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete " + kind.dir + "/" + id + ": " + e, e);
          }
        },
        writer);
  }

  /** Finishes pending writes (bounded wait) and stops the writer thread. */
  @Override
  public void close() throws InterruptedException {
    writer.shutdown();
    writer.awaitTermination(5, TimeUnit.SECONDS);
  }
}
