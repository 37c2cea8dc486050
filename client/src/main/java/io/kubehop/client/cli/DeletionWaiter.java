package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.core.WatchEvent;
import io.kubehop.api.meta.StatusException;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.ResourceType;
import io.kubehop.client.rest.RestClient;
import io.kubehop.client.rest.WatchStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits until an object is gone, like {@code kubectl delete --wait}: a GET (404 ends it at once),
 * then a watch with {@code fieldSelector=metadata.name=NAME} from the GET's resourceVersion until
 * DELETED. A timer closes the watch at the deadline, which ends the blocked read; no polling.
 */
final class DeletionWaiter implements AutoCloseable {

  private final RestClient client;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kubehop-delete-deadline");
            t.setDaemon(true);
            return t;
          });

  DeletionWaiter(RestClient client) {
    this.client = client;
  }

  /**
   * @param uid the uid of the deleted object; an object with another uid under the same name counts
   *     as gone
   * @throws CommandException when the object still exists at the deadline
   */
  void await(ResourceType resource, String namespace, String name, String uid, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode live;
      try {
        live = client.get(resource.objectPath(namespace, name), Query.of(), MediaTypes.JSON);
      } catch (StatusException e) {
        if (e.code() == 404) {
          return;
        }
        throw e;
      }
      if (uid != null && !uid.equals(live.path("metadata").path("uid").asText(uid))) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new CommandException(
            "timed out waiting for the condition on " + resource.plural() + "/" + name);
      }
      if (watchUntilDeleted(resource, namespace, name, live, left)) {
        return;
      }
    }
  }

  /**
   * True when a DELETED event arrived; false when the watch ended first (the caller GETs again).
   */
  private boolean watchUntilDeleted(
      ResourceType resource, String namespace, String name, JsonNode live, long nanosLeft)
      throws IOException {
    Query query =
        Query.of()
            .add("fieldSelector", "metadata.name=" + name)
            .add("resourceVersion", live.path("metadata").path("resourceVersion").asText(""))
            .add("watch", "true");
    try (WatchStream events =
        client.watch(resource.collectionPath(namespace), query, MediaTypes.JSON)) {
      ScheduledFuture<?> closer =
          timer.schedule(() -> closeQuietly(events), nanosLeft, TimeUnit.NANOSECONDS);
      try {
        for (Optional<WatchEvent> e = events.next(); e.isPresent(); e = events.next()) {
          if (WatchEvent.DELETED.equals(e.get().type())) {
            return true;
          }
        }
      } catch (IOException closedAtDeadline) {
        // the deadline timer closed the stream; the caller re-checks with a GET and reports the
        // timeout
      } finally {
        closer.cancel(false);
      }
    }
    return false;
  }

  private static void closeQuietly(WatchStream events) {
    try {
      events.close();
    } catch (IOException ignored) {
      // closing only ends the read
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
