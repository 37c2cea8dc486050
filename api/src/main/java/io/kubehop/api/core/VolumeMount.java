package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/** core/v1 VolumeMount (subset: no propagation, no subPathExpr). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VolumeMount(String name, String mountPath, Boolean readOnly, String subPath) {

  public boolean isReadOnly() {
    return Boolean.TRUE.equals(readOnly);
  }
}
