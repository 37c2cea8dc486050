package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** core/v1 SecretVolumeSource. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SecretVolumeSource(
    String secretName, List<KeyToPath> items, Integer defaultMode, Boolean optional) {

  public List<KeyToPath> items() {
    return items == null ? List.of() : items;
  }
}
