package io.kubehop.api.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * meta/v1 WatchEvent: one line of a watch stream. {@code type} is ADDED, MODIFIED, DELETED,
 * BOOKMARK or ERROR.
 */
public record WatchEvent(String type, JsonNode object) {
  public static final String ADDED = "ADDED";
  public static final String MODIFIED = "MODIFIED";
  public static final String DELETED = "DELETED";
  public static final String BOOKMARK = "BOOKMARK";
  public static final String ERROR = "ERROR";
}
