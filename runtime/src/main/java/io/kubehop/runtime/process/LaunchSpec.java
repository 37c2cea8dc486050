package io.kubehop.runtime.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to start: an argv whose first element is already resolved to an executable path, its environment
 * (complete, not merged with the runtime's), its working directory, and how its stdio is wired.
 *
 * @param argv        program and arguments; {@code argv.get(0)} is an absolute path
 * @param environment the whole environment of the new process
 * @param workingDir  the directory the process starts in
 * @param tty         give the process a pseudo-terminal (stdout and stderr are then one stream)
 * @param openStdin   keep a writable stdin (a pipe, or the PTY); otherwise stdin reads /dev/null
 */
public record LaunchSpec(List<String> argv, Map<String, String> environment, Path workingDir, boolean tty,
                         boolean openStdin) {
  public LaunchSpec {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
  }
}
