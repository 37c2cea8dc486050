package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/** core/v1 EmptyDirVolumeSource; {@code sizeLimit} is a quantity string, not enforced. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record EmptyDirVolumeSource(String medium, String sizeLimit) {}
