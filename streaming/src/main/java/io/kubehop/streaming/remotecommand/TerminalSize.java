package io.kubehop.streaming.remotecommand;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A terminal size as client-go sends it on the resize stream: {@code {"Width":80,"Height":24}}
 * (capitalised keys, because Go's {@code TerminalSize{Width, Height uint16}} has no JSON tags).
 */
public record TerminalSize(@JsonProperty("Width") int width, @JsonProperty("Height") int height) {}
