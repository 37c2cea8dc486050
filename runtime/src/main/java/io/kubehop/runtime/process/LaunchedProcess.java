package io.kubehop.runtime.process;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** A started OS process as the runtime sees it: its pid, its stdio and its exit. */
public interface LaunchedProcess {

  /** The OS process id. */
  long pid();

  /**
   * The process that stands for the container: what SIGTERM goes to. The launched process itself,
   * unless it only sets up namespaces and waits for the real PID 1 it forked.
   */
  default long initPid() {
    return pid();
  }

  /** The process's stdin, or null when it reads /dev/null. */
  OutputStream stdin();

  /** The process's stdout (with a TTY: the terminal's output, stdout and stderr together). */
  InputStream stdout();

  /** The process's stderr, or null with a TTY. */
  InputStream stderr();

  /** Whether the process runs on a pseudo-terminal. */
  boolean tty();

  /**
   * Completes with the exit code once the process has exited: its own code, or 128+N when signal N
   * killed it (as a shell and Kubernetes report it).
   */
  CompletableFuture<Integer> onExit();

  /** Sets the terminal size (columns, rows); does nothing without a TTY. */
  void resize(int columns, int rows);
}
