package io.kubehop.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.apiserver.table.TableConvertor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-resource behaviour, named after upstream's {@code rest.RESTCreateStrategy}/{@code
 * RESTUpdateStrategy}: defaulting, validation, what an update of the main resource or of {@code
 * /status} may change, selectable fields and the Table columns.
 */
public interface ResourceStrategy {

  ResourceType type();

  /** Sets defaults and resets what a client may not set on create (e.g. a pod's status). */
  void prepareForCreate(ObjectNode object);

  /** Field errors of a new or updated object; empty when valid. */
  List<StatusCause> validate(ObjectNode object);

  /** Field errors of an update of the main resource; by default those of {@link #validate}. */
  default List<StatusCause> validateUpdate(ObjectNode updated, ObjectNode old) {
    return validate(updated);
  }

  /**
   * An update of the main resource: keeps the old status (where the resource has one the client
   * cannot set).
   */
  void prepareForUpdate(ObjectNode updated, ObjectNode old);

  /** The values of the fields a field selector may use. */
  Map<String, String> selectableFields(ObjectNode object);

  Set<String> selectableFieldNames();

  TableConvertor table();

  /** Called once an object is stored by a create (e.g. to bound how many events are kept). */
  default void afterCreate(ObjectNode created) {}

  /**
   * True when a DELETE only marks the object (a pod bound to a node, deleted with a grace period).
   */
  default boolean deletesGracefully(ObjectNode object, Long gracePeriodSeconds) {
    return false;
  }
}
