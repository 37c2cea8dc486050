package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/** core/v1 KeyToPath: a configMap/secret key written to {@code path}, with its own file mode. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record KeyToPath(String key, String path, Integer mode) {}
