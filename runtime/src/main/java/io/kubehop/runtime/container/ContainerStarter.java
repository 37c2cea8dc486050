package io.kubehop.runtime.container;

import io.kubehop.runtime.cri.Ids;
import io.kubehop.runtime.image.ImageCatalog;
import io.kubehop.runtime.log.CriLogWriter;
import io.kubehop.runtime.pod.PodSandbox;
import io.kubehop.runtime.process.ExecutableResolver;
import io.kubehop.runtime.process.LaunchSpec;
import io.kubehop.runtime.process.LaunchedProcess;
import io.kubehop.runtime.process.MonitoredProcess;
import io.kubehop.runtime.process.OutputListener;
import io.kubehop.runtime.process.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a created container into a running main process: works out the argv (container command/args
 * over the image's defaults), resolves the executable on the container's PATH, prepares the working
 * directory and the CRI log, and launches. Blocking: call it on a worker thread.
 */
final class ContainerStarter {

  /** Why a container could not start, in the words an OCI runtime would use. */
  static final class StartException extends Exception {
    StartException(String message) {
      super(message);
    }
  }

  /** The running process and the context it runs in. */
  record Started(MonitoredProcess process, ContainerContext context) {}

  private final Clock clock;

  ContainerStarter(Clock clock) {
    this.clock = clock;
  }

  Started start(Container container, PodSandbox sandbox) throws StartException {
    var config = container.config();
    ContainerContext context = ContainerContext.of(config, sandbox);
    ImageCatalog.ImageDefaults defaults =
        ImageCatalog.defaults(config.getImage().getImage(), sandbox.ip(), sandbox.containerPorts());
    List<String> argv =
        new ArrayList<>(ImageCatalog.argv(defaults, config.getCommandList(), config.getArgsList()));
    if (argv.isEmpty()) {
      throw new StartException("no command specified");
    }
    boolean imageCmdRuns = config.getCommandList().isEmpty() && config.getArgsList().isEmpty();
    boolean openStdin = config.getStdin() || (imageCmdRuns && defaults.holdsStdinOpen());
    prepareWorkingDir(context.workingDir());
    Path executable =
        ExecutableResolver.resolve(
                argv.get(0), context.environment().get("PATH"), context.workingDir())
            .orElseThrow(
                () ->
                    new StartException(
                        "exec: \""
                            + argv.get(0)
                            + "\": "
                            + (argv.get(0).contains("/")
                                ? "stat " + argv.get(0) + ": no such file or directory"
                                : "executable file not found in $PATH")));
    argv.set(0, executable.toString());
    LaunchSpec spec =
        new LaunchSpec(
            argv, context.environment(), context.workingDir(), config.getTty(), openStdin);

    List<OutputListener> listeners = new ArrayList<>();
    CriLogWriter log = null;
    if (container.logPath() != null) {
      try {
        log = CriLogWriter.open(container.logPath(), clock);
      } catch (IOException e) {
        throw new StartException(
            "failed to create container log " + container.logPath() + ": " + e.getMessage());
      }
      listeners.add(log);
    }
    try {
      LaunchedProcess launched = ProcessLauncher.forSpec(spec).launch(spec);
      MonitoredProcess process =
          MonitoredProcess.start(launched, "ctr-" + Ids.shortId(container.id()), listeners, true);
      return new Started(process, context);
    } catch (IOException | RuntimeException e) {
      if (log != null) {
        log.close();
      }
      throw new StartException("failed to start " + argv + ": " + e.getMessage());
    }
  }

  /** Creates a missing working directory, as runc does. */
  private static void prepareWorkingDir(Path dir) throws StartException {
    if (!dir.isAbsolute()) {
      throw new StartException(
          "the working directory '" + dir + "' is invalid, it needs to be an absolute path");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StartException(
          "chdir to cwd (\"" + dir + "\") set in config.json failed: " + e.getMessage());
    }
    if (!Files.isDirectory(dir)) {
      throw new StartException(
          "chdir to cwd (\"" + dir + "\") set in config.json failed: not a directory");
    }
  }
}
