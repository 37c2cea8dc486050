package io.kubehop.runtime.container;

import io.kubehop.runtime.cri.Ids;
import io.kubehop.runtime.image.ImageCatalog;
import io.kubehop.runtime.isolation.Bind;
import io.kubehop.runtime.isolation.ImageLayers;
import io.kubehop.runtime.isolation.Isolation;
import io.kubehop.runtime.isolation.PidMode;
import io.kubehop.runtime.isolation.PodNamespaces;
import io.kubehop.runtime.isolation.RootfsPlan;
import io.kubehop.runtime.log.CriLogWriter;
import io.kubehop.runtime.pod.PodSandbox;
import io.kubehop.runtime.process.ExecutableResolver;
import io.kubehop.runtime.process.InitProcess;
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
import java.util.Optional;

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
  private final Isolation isolation;

  ContainerStarter(Clock clock, Isolation isolation) {
    this.clock = clock;
    this.isolation = isolation;
  }

  Started start(Container container, PodSandbox sandbox) throws StartException {
    if (isolation.enabled()) {
      return startIsolated(container, sandbox);
    }
    var config = container.config();
    ContainerContext context = ContainerContext.of(config, sandbox, false);
    Command command = command(container, sandbox);
    List<String> argv = command.argv();
    boolean openStdin = command.openStdin();
    prepareWorkingDir(context.workingDir());
    Path executable =
        ExecutableResolver.resolve(
                argv.get(0), context.environment().get("PATH"), context.workingDir())
            .orElseThrow(() -> notFound(argv.get(0)));
    argv.set(0, executable.toString());
    LaunchSpec spec =
        new LaunchSpec(
            argv, context.environment(), context.workingDir(), config.getTty(), openStdin);

    return launch(container, spec, context, launched -> launched);
  }

  /** What a container runs, and whether its stdin stays open. */
  private record Command(List<String> argv, boolean openStdin) {}

  /**
   * The container's command and args over its image's ENTRYPOINT and CMD; stdin stays open when the
   * container asks, or when the image's own idle shell runs.
   */
  private static Command command(Container container, PodSandbox sandbox) throws StartException {
    var config = container.config();
    ImageCatalog.ImageDefaults defaults =
        ImageCatalog.defaults(config.getImage().getImage(), sandbox.ip(), sandbox.containerPorts());
    List<String> argv =
        new ArrayList<>(ImageCatalog.argv(defaults, config.getCommandList(), config.getArgsList()));
    if (argv.isEmpty()) {
      throw new StartException("no command specified");
    }
    boolean imageCmdRuns = config.getCommandList().isEmpty() && config.getArgsList().isEmpty();
    return new Command(argv, config.getStdin() || (imageCmdRuns && defaults.holdsStdinOpen()));
  }

  /** A launch step that may wrap or replace the launched process (the namespaced start). */
  private interface AfterLaunch {
    LaunchedProcess apply(LaunchedProcess launched) throws StartException;
  }

  private Started launch(
      Container container, LaunchSpec spec, ContainerContext context, AfterLaunch after)
      throws StartException {
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
      LaunchedProcess launched = after.apply(ProcessLauncher.forSpec(spec).launch(spec));
      MonitoredProcess process =
          MonitoredProcess.start(launched, "ctr-" + Ids.shortId(container.id()), listeners, true);
      ContainerContext started =
          launched instanceof InitProcess init
              ? context.withInit(init.initPid(), pidMode(container) != PidMode.NODE)
              : context;
      return new Started(process, started);
    } catch (IOException | RuntimeException | StartException e) {
      if (log != null) {
        log.close();
      }
      if (e instanceof StartException start) {
        throw start;
      }
      throw new StartException(
          "failed to start " + commandOf(container, spec) + ": " + e.getMessage());
    }
  }

  /**
   * The start of a container in namespaces of its own, on an overlay of its image: the argv is
   * looked up in the container's root, and the launch goes through nsenter and unshare, whose
   * forked child becomes the container's PID 1.
   */
  private Started startIsolated(Container container, PodSandbox sandbox) throws StartException {
    var config = container.config();
    PodNamespaces pod = sandbox.namespaces();
    if (pod == null) {
      throw new StartException("the sandbox " + sandbox.id() + " holds no namespaces (stopped?)");
    }
    ContainerContext context = ContainerContext.of(config, sandbox, true);
    Command command = command(container, sandbox);
    List<String> argv = command.argv();
    boolean openStdin = command.openStdin();
    String workingDir = context.workingDir().toString();
    if (!context.workingDir().isAbsolute()) {
      throw new StartException(
          "the working directory '" + workingDir + "' is invalid, it needs to be an absolute path");
    }
    ImageLayers.ImageFs image = isolation.images().forImage(config.getImage().getImage());
    List<Bind> binds = new ArrayList<>(image.binds());
    for (var mount : config.getMountsList()) {
      binds.add(
          new Bind(Path.of(mount.getHostPath()), mount.getContainerPath(), mount.getReadonly()));
    }
    RootfsPlan plan =
        new RootfsPlan(
            sandbox.podDir().resolve("containers").resolve(container.id()),
            image.layer(),
            binds,
            workingDir);
    prepareRootfs(plan, sandbox);
    Optional<String> executable =
        ExecutableResolver.resolveIn(
            plan::hostPathOf, argv.get(0), context.environment().get("PATH"), workingDir);
    if (executable.isEmpty()) {
      throw notFound(argv.get(0));
    }
    // argv[0] stays as given (`ps` shows "sleep 3600", as under runc): unshare execs it with the
    // container's PATH inside the root, the same lookup as the one just made
    PidMode pidMode = pidMode(container);
    LaunchSpec spec =
        isolation.containerLaunch(
            new LaunchSpec(
                argv, context.environment(), context.workingDir(), config.getTty(), openStdin),
            plan,
            pod,
            pidMode);
    return launch(
        container,
        spec,
        context,
        launched -> {
          long init = isolation.awaitInit(launched.pid(), pidMode, pod);
          if (init <= 0) {
            ProcessHandle.of(launched.pid()).ifPresent(ProcessHandle::destroyForcibly);
            throw new StartException("the container's namespaces could not be created");
          }
          return new InitProcess(launched, init);
        });
  }

  /** The container's argv, for messages (not the namespace set-up around it). */
  private static List<String> commandOf(Container container, LaunchSpec spec) {
    var config = container.config();
    return config.getCommandList().isEmpty() && config.getArgsList().isEmpty()
        ? spec.argv()
        : ImageCatalog.argv(
            new ImageCatalog.ImageDefaults(List.of(), List.of(), false),
            config.getCommandList(),
            config.getArgsList());
  }

  /** What runc says when a container's command is not there. */
  private static StartException notFound(String command) {
    return new StartException(
        "exec: \""
            + command
            + "\": "
            + (command.contains("/")
                ? "stat " + command + ": no such file or directory"
                : "executable file not found in $PATH"));
  }

  private static PidMode pidMode(Container container) {
    return PidMode.of(
        container.config().getLinux().getSecurityContext().getNamespaceOptions().getPid());
  }

  /**
   * The container's directories (mount point, upper and work dirs of the overlay), its working
   * directory, and the files Kubernetes manages in every container: /etc/hosts, /etc/hostname and
   * /etc/resolv.conf (written into the upper layer: they are the container's own).
   */
  private static void prepareRootfs(RootfsPlan plan, PodSandbox sandbox) throws StartException {
    try {
      Files.createDirectories(plan.rootfs());
      Files.createDirectories(plan.work());
      Path etc = Files.createDirectories(plan.upper().resolve("etc"));
      Files.writeString(
          etc.resolve("hosts"),
          "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost"
              + " ip6-loopback\n"
              + sandbox.ip()
              + "\t"
              + sandbox.hostname()
              + "\n");
      Files.writeString(etc.resolve("hostname"), sandbox.hostname() + "\n");
      Path resolv = Path.of("/etc/resolv.conf");
      if (Files.isReadable(resolv)) {
        Files.write(etc.resolve("resolv.conf"), Files.readAllBytes(resolv));
      }
      Files.createDirectories(plan.upper().resolve(plan.workingDir().substring(1)));
    } catch (IOException | RuntimeException e) {
      throw new StartException("failed to prepare the container's root: " + e.getMessage());
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
