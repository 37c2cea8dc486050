package io.kubehop.runtime.container;

import io.kubehop.runtime.isolation.Isolation;
import io.kubehop.runtime.process.ExecutableResolver;
import io.kubehop.runtime.process.LaunchSpec;
import io.kubehop.runtime.process.LaunchedProcess;
import io.kubehop.runtime.process.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a process in a running container, for a streaming exec and for ExecSync alike: the command
 * is looked up on the container's PATH (in its own root when it is isolated), then started in the
 * container's context: its environment and working directory, and, isolated, its namespaces and
 * root (nsenter).
 */
public final class ContainerExec {

  private ContainerExec() {}

  /**
   * Starts {@code cmd}; empty when it is not an executable on the container's PATH. With {@code
   * columns} and {@code rows} 0 the terminal gets the default size. Blocking.
   */
  public static Optional<LaunchedProcess> start(
      ContainerContext context, List<String> cmd, boolean tty, boolean stdin, int columns, int rows)
      throws IOException {
    List<String> argv = new ArrayList<>(cmd);
    String path = context.environment().get("PATH");
    if (context.isolated()) {
      // looked up in the container's own root, as the runtime sees it through its PID 1; argv[0]
      // stays as given, nsenter execs it with the container's PATH in that root (as runc does)
      Path root = Isolation.containerRoot(context.initPid());
      if (ExecutableResolver.resolveIn(
              p -> root.resolve(p.substring(1)), argv.get(0), path, context.workingDir().toString())
          .isEmpty()) {
        return Optional.empty();
      }
    } else {
      Optional<Path> executable =
          ExecutableResolver.resolve(argv.get(0), path, context.workingDir());
      if (executable.isEmpty()) {
        return Optional.empty();
      }
      argv.set(0, executable.get().toString());
    }
    LaunchSpec spec =
        columns > 0 && rows > 0
            ? new LaunchSpec(
                argv, context.environmentFor(tty), context.workingDir(), tty, stdin, columns, rows)
            : new LaunchSpec(argv, context.environmentFor(tty), context.workingDir(), tty, stdin);
    if (context.isolated()) {
      spec =
          Isolation.execLaunch(
              spec, context.initPid(), context.enterPid(), context.workingDir().toString());
    }
    return Optional.of(ProcessLauncher.forSpec(spec).launch(spec));
  }
}
