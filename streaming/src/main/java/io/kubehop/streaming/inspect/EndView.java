package io.kubehop.streaming.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a session ended at one tier.
 *
 * @param first whose connection ended first: {@code client}, the next tier's role, or the tier
 *     itself (a proxying tier); the runtime says {@code process} when the process exit ended it
 * @param how {@code closed}, {@code reset} or {@code timeout}; {@code exited} at the runtime
 * @param exitCode the process's exit code, where the tier knows it
 * @param status whether a Status reached the client, where the tier decodes the session
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndView(String first, String how, Integer exitCode, Boolean status) {}
