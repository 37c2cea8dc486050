package io.kubehop.runtime.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to start: an argv whose first element is already resolved to an executable path, its
 * environment (complete, not merged with the runtime's), its working directory, and how its stdio
 * is wired.
 *
 * @param argv program and arguments; {@code argv.get(0)} is an absolute path
 * @param environment the whole environment of the new process
 * @param workingDir the directory the process starts in
 * @param tty give the process a pseudo-terminal (stdout and stderr are then one stream)
 * @param openStdin keep a writable stdin (a pipe, or the PTY); otherwise stdin reads /dev/null
 * @param columns the terminal's width when the process starts (TTY only)
 * @param rows the terminal's height when the process starts (TTY only)
 */
public record LaunchSpec(
    List<String> argv,
    Map<String, String> environment,
    Path workingDir,
    boolean tty,
    boolean openStdin,
    int columns,
    int rows) {

  /** Terminal size until a client sizes it (what kubectl falls back to as well). */
  public static final int DEFAULT_COLUMNS = 80;

  public static final int DEFAULT_ROWS = 24;

  public LaunchSpec {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
    if (columns <= 0 || rows <= 0) {
      throw new IllegalArgumentException("terminal size must be positive: " + columns + "x" + rows);
    }
  }

  /** A spec with the default terminal size. */
  public LaunchSpec(
      List<String> argv,
      Map<String, String> environment,
      Path workingDir,
      boolean tty,
      boolean openStdin) {
    this(argv, environment, workingDir, tty, openStdin, DEFAULT_COLUMNS, DEFAULT_ROWS);
  }

  /**
   * The same process (environment, stdio, terminal) started as {@code argv} in {@code workingDir}:
   * a command wrapped by another that sets up its namespaces and then execs it.
   */
  public LaunchSpec wrappedIn(List<String> argv, Path workingDir) {
    return new LaunchSpec(argv, environment, workingDir, tty, openStdin, columns, rows);
  }
}
