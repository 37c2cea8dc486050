package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kubehop.api.meta.ObjectMeta;

/**
 * core/v1 Pod, with the fields kubehop acts on. Unknown fields are ignored on read ({@code
 * ApiJson}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Pod(
    String apiVersion, String kind, ObjectMeta metadata, PodSpec spec, PodStatus status) {

  public static final String KIND = "Pod";

  public String name() {
    return metadata == null ? null : metadata.name();
  }

  public String namespace() {
    return metadata == null ? null : metadata.namespace();
  }
}
