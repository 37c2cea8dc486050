package io.kubehop.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.apiserver.http.ResourceReads;
import io.kubehop.apiserver.storage.StoreEvent;

/**
 * Which events a watch sees, and as what: like upstream's cacher, a MODIFIED that moves an object
 * into the selection is reported as ADDED, one that moves it out as DELETED.
 */
public record WatchFilter(
    String resource, String namespace, ResourceReads.Selection selection, long afterVersion) {

  /** The event type to send for {@code e}, or null to skip it. */
  public String typeFor(StoreEvent e) {
    if (!e.key().resource().equals(resource)
        || (namespace != null && !namespace.equals(e.key().namespace()))
        || e.resourceVersion() <= afterVersion) {
      return null;
    }
    boolean now = e.type() != StoreEvent.Type.DELETED && matches(e.object());
    boolean before = e.previous() != null && matches(e.previous());
    return switch (e.type()) {
      case ADDED -> now ? "ADDED" : null;
      case MODIFIED -> now && before ? "MODIFIED" : now ? "ADDED" : before ? "DELETED" : null;
      case DELETED -> before ? "DELETED" : null;
    };
  }

  private boolean matches(ObjectNode o) {
    return selection.matches(o);
  }
}
