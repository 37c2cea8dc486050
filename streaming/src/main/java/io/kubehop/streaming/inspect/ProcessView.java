package io.kubehop.streaming.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The process a runtime session drives.
 *
 * @param pid its process id
 * @param argv the command as asked for (an attach: the container's main process, no argv)
 * @param tty whether it runs on a terminal
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProcessView(long pid, List<String> argv, boolean tty) {}
