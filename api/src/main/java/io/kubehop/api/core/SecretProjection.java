package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** core/v1 SecretProjection: a secret source of a projected volume. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SecretProjection(String name, List<KeyToPath> items, Boolean optional) {

  public List<KeyToPath> items() {
    return items == null ? List.of() : items;
  }
}
