package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** core/v1 DownwardAPIProjection: a downwardAPI source of a projected volume. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DownwardAPIProjection(List<DownwardAPIVolumeFile> items) {

  public List<DownwardAPIVolumeFile> items() {
    return items == null ? List.of() : items;
  }
}
