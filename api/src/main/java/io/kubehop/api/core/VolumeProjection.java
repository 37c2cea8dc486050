package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * core/v1 VolumeProjection: exactly one source. {@code serviceAccountToken} and {@code
 * clusterTrustBundle} are kept raw only to refuse them by name.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VolumeProjection(
    ConfigMapProjection configMap,
    SecretProjection secret,
    DownwardAPIProjection downwardAPI,
    JsonNode serviceAccountToken) {}
