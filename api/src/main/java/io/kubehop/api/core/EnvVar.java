package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/** core/v1 EnvVar; {@code valueFrom} is not supported. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvVar(String name, String value) {}
