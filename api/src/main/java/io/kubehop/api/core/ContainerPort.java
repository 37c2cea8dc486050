package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/** core/v1 ContainerPort. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerPort(String name, Integer containerPort, String protocol) {}
