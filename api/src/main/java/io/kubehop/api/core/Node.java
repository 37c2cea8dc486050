package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kubehop.api.meta.ObjectMeta;

/** core/v1 Node, as the kubelet registers it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Node(
    String apiVersion, String kind, ObjectMeta metadata, NodeSpec spec, NodeStatus status) {

  public static final String KIND = "Node";

  public String name() {
    return metadata == null ? null : metadata.name();
  }
}
