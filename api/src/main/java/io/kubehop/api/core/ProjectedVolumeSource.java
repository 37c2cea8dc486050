package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** core/v1 ProjectedVolumeSource. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProjectedVolumeSource(List<VolumeProjection> sources, Integer defaultMode) {

  public List<VolumeProjection> sources() {
    return sources == null ? List.of() : sources;
  }
}
