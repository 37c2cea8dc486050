package io.kubehop.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change in the store, as a watch reports it. {@code object} is the new state (for DELETED: the
 * last state, carrying the deletion's resourceVersion); {@code previous} is the state before (null
 * for ADDED), which lets a filtered watch turn a MODIFIED that leaves or enters its selection into
 * DELETED or ADDED, as upstream does.
 */
public record StoreEvent(
    Type type, StoreKey key, long resourceVersion, ObjectNode object, ObjectNode previous) {

  /** The watch event types of {@code k8s.io/apimachinery/pkg/watch}. */
  public enum Type {
    ADDED,
    MODIFIED,
    DELETED
  }
}
