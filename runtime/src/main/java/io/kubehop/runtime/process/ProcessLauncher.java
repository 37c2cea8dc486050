package io.kubehop.runtime.process;

import java.io.IOException;

/**
 * Starts OS processes as children of the runtime. One implementation wires stdio to pipes, the
 * other to a pseudo-terminal; a container's main process and (later) exec'd processes both go
 * through here.
 */
public interface ProcessLauncher {

  /**
   * Starts the process; fails when the OS cannot (missing executable, bad working directory, …).
   */
  LaunchedProcess launch(LaunchSpec spec) throws IOException;

  /**
   * The launcher for a spec: {@link PtyProcessLauncher} when it asks for a TTY, else {@link
   * PipeProcessLauncher}.
   */
  static ProcessLauncher forSpec(LaunchSpec spec) {
    return spec.tty() ? new PtyProcessLauncher() : new PipeProcessLauncher();
  }
}
