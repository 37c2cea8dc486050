package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** core/v1 DownwardAPIVolumeSource. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DownwardAPIVolumeSource(List<DownwardAPIVolumeFile> items, Integer defaultMode) {

  public List<DownwardAPIVolumeFile> items() {
    return items == null ? List.of() : items;
  }
}
