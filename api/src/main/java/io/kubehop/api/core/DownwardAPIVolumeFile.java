package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * core/v1 DownwardAPIVolumeFile; {@code resourceFieldRef} is kept raw only to refuse it by name.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DownwardAPIVolumeFile(
    String path, ObjectFieldSelector fieldRef, JsonNode resourceFieldRef, Integer mode) {}
