package io.kubehop.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * meta/v1 ListMeta. Serialized as {@code {}} when empty: Go never omits it from a Status or a list.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListMeta(String resourceVersion, String selfLink, String continueToken) {

  public static final ListMeta EMPTY = new ListMeta(null, null, null);

  public static ListMeta at(long resourceVersion) {
    return new ListMeta(Long.toString(resourceVersion), null, null);
  }

  @JsonProperty("continue")
  @Override
  public String continueToken() {
    return continueToken;
  }
}
