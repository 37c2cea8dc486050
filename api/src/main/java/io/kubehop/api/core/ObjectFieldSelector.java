package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/** core/v1 ObjectFieldSelector. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectFieldSelector(String apiVersion, String fieldPath) {}
