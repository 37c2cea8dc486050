package io.kubehop.apiserver.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A bounded window of recent store events plus the live subscribers, like the watch cache of the
 * real apiserver. A watch from resourceVersion N replays the retained events after N, then
 * continues live. Not thread-safe: the owning store calls it under its lock, so replay and
 * subscription are atomic with respect to writes.
 */
final class EventHistory {

  private final int capacity;
  private final ArrayDeque<StoreEvent> events = new ArrayDeque<>();
  private final List<Consumer<StoreEvent>> listeners = new CopyOnWriteArrayList<>();

  /** The oldest resourceVersion a watch may start from: events after it are all retained. */
  private long horizon;

  EventHistory(int capacity, long startResourceVersion) {
    this.capacity = capacity;
    this.horizon = startResourceVersion;
  }

  void publish(StoreEvent event) {
    if (events.size() == capacity) {
      horizon = events.removeFirst().resourceVersion();
    }
    events.addLast(event);
    for (Consumer<StoreEvent> l : listeners) {
      l.accept(event);
    }
  }

  /**
   * Replays the events after {@code from} to {@code listener} and subscribes it; throws Expired if
   * too old.
   */
  Store.Subscription subscribe(long from, long current, Consumer<StoreEvent> listener) {
    if (from > 0 && from < horizon) {
      throw new StoreException.Expired(from, horizon);
    }
    if (from > 0) {
      for (StoreEvent e : new ArrayList<>(events)) {
        if (e.resourceVersion() > from) {
          listener.accept(e);
        }
      }
    }
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }
}
