package io.kubehop.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;

/** meta/v1 StatusCause. Go's field {@code Type} is the JSON key {@code reason}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusCause(String reason, String message, String field) {}
