package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/** core/v1 PodCondition: PodScheduled, Initialized, ContainersReady, Ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodCondition(
    String type,
    String status,
    String lastProbeTime,
    String lastTransitionTime,
    String reason,
    String message) {}
