package io.kubehop.runtime.isolation;

import io.kubehop.runtime.process.ExecutableResolver;
import io.kubehop.runtime.process.LaunchSpec;
import io.kubehop.runtime.state.Tree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Containers isolated with Linux namespaces, as runc isolates them, done with util-linux's {@code
 * unshare} and {@code nsenter} (a JVM cannot change its own namespaces: it has many threads).
 *
 * <ul>
 *   <li>A pod holds a UTS namespace with its hostname and an IPC namespace ({@link PodNamespaces}),
 *       and, with {@code shareProcessNamespace}, a PID namespace.
 *   <li>A container joins them and gets a mount namespace of its own, with an overlay of its image
 *       as root ({@link RootfsPlan}), {@code /proc} of its PID namespace, a small {@code /dev}, and
 *       its volumes bound in; by default also a PID namespace of its own, its main process being
 *       PID 1 there.
 *   <li>An exec enters the namespaces and the root of the container's PID 1, as {@code runc exec}
 *       does.
 * </ul>
 *
 * The network stays the node's: pods keep their loopback addresses.
 */
public final class Isolation {

  private static final Logger LOG = Logger.getLogger(Isolation.class.getName());

  /** What {@code --isolation} asks for. */
  public enum Mode {
    /** Namespaces when this host allows them (root, unshare, overlayfs), else none. */
    AUTO,
    NAMESPACES,
    NONE
  }

  private static final String SEARCH_PATH = "/usr/bin:/bin:/usr/sbin:/sbin";

  /** nsenter, looked up once: every exec goes through it. */
  private static final Path NSENTER = tool("nsenter").orElse(Path.of("/usr/bin/nsenter"));

  /** How long a new container's PID 1 may take to appear. */
  private static final long INIT_WAIT_MILLIS = 5000;

  /**
   * Run in the container's new mount (and PID) namespace, before its root is its image: mounts the
   * overlay, /proc, /dev and the binds, then becomes the container's process in its root and
   * working directory. Arguments: root lower upper work workdir n, then n times (host path,
   * container path, 1 if read-only), then the argv.
   */
  static final String INIT =
      """
      set -e
      root=$1 lower=$2 upper=$3 work=$4 wd=$5 n=$6
      shift 6
      mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$work" "$root"
      mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
      mount -t tmpfs -o nosuid,mode=755,size=65536k tmpfs "$root/dev"
      for d in null zero full random urandom tty; do
        : >"$root/dev/$d"
        mount --bind "/dev/$d" "$root/dev/$d"
      done
      mkdir "$root/dev/pts" "$root/dev/shm"
      mount --bind /dev/pts "$root/dev/pts"
      mount -t tmpfs -o nosuid,nodev,mode=1777 shm "$root/dev/shm"
      ln -s pts/ptmx "$root/dev/ptmx"
      ln -s /proc/self/fd "$root/dev/fd"
      ln -s /proc/self/fd/0 "$root/dev/stdin"
      ln -s /proc/self/fd/1 "$root/dev/stdout"
      ln -s /proc/self/fd/2 "$root/dev/stderr"
      while [ "$n" -gt 0 ]; do
        src=$1 dst=$root$2 ro=$3
        shift 3
        n=$((n - 1))
        if [ -d "$src" ]; then
          mkdir -p "$dst"
        else
          mkdir -p "${dst%/*}"
          [ -e "$dst" ] || : >"$dst"
        fi
        mount --bind "$src" "$dst"
        if [ "$ro" = 1 ]; then mount -o remount,bind,ro "$dst"; fi
      done
      exec unshare --root="$root" --wd="$wd" -- "$@"
      """;

  private final Path unshare;
  private final Path nsenter;
  private final Path sh;
  private final Path busybox;
  private final Path pause;
  private final ImageLayers images;

  private Isolation(
      Path unshare, Path nsenter, Path sh, Path busybox, Path pause, ImageLayers images) {
    this.unshare = unshare;
    this.nsenter = nsenter;
    this.sh = sh;
    this.busybox = busybox;
    this.pause = pause;
    this.images = images;
  }

  /** No isolation: containers are process sessions on the host (the mode before namespaces). */
  public static Isolation none() {
    return new Isolation(null, null, null, null, null, null);
  }

  /**
   * The isolation {@code mode} asks for, set up under {@code stateDir} (image layers). With AUTO,
   * none when this host does not allow namespaces (not root, no unshare, no overlayfs: a container
   * without CAP_SYS_ADMIN), with the reason logged. Blocking.
   */
  public static Isolation start(Mode mode, Path stateDir) throws IOException {
    if (mode == Mode.NONE) {
      return none();
    }
    Optional<String> unavailable = probe(stateDir);
    if (unavailable.isPresent()) {
      if (mode == Mode.NAMESPACES) {
        throw new IOException("--isolation=namespaces: " + unavailable.get());
      }
      LOG.warning(
          "containers run without isolation (they see the host's filesystem, hostname and"
              + " processes): "
              + unavailable.get());
      return none();
    }
    Path busybox = busybox().orElseThrow();
    ImageLayers layers = ImageLayers.build(stateDir.resolve("images"), busybox);
    // cat under the name pause: `ps` shows the command's name as well as its argv[0]
    Path pause = stateDir.resolve("images").resolve("pause");
    Files.deleteIfExists(pause);
    Files.createSymbolicLink(pause, tool("cat").orElseThrow());
    LOG.info("containers are isolated with Linux namespaces");
    return new Isolation(
        tool("unshare").orElseThrow(),
        tool("nsenter").orElseThrow(),
        tool("sh").orElseThrow(),
        busybox,
        pause,
        layers);
  }

  public boolean enabled() {
    return images != null;
  }

  public ImageLayers images() {
    return images;
  }

  /** Starts the holder of a pod's namespaces, with its hostname set. Blocking. */
  public PodNamespaces startPod(String hostname, boolean sharePid) throws IOException {
    List<String> argv = new ArrayList<>(List.of(unshare.toString(), "--uts", "--ipc"));
    if (sharePid) {
      argv.addAll(List.of("--pid", "--fork", "--kill-child"));
    }
    argv.addAll(
        List.of(
            "--",
            busybox.toString(),
            "sh",
            "-c",
            // cat under the name /pause (busybox's exec -a): PID 1 of a shared PID namespace shows
            // in `ps` as Kubernetes' pause container does
            "printf %s \"$1\" >/proc/sys/kernel/hostname && echo ready && exec -a /pause \"$2\""
                + " >/dev/null",
            "kubehop-pause",
            podHostname(hostname),
            pause.toString()));
    Process holder = new ProcessBuilder(argv).redirectErrorStream(true).start();
    StringBuilder said = new StringBuilder();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.equals("ready")) {
          long pidInit = sharePid ? firstChild(holder.pid()) : 0;
          if (sharePid && pidInit == 0) {
            break;
          }
          return new PodNamespaces(holder, pidInit);
        }
        said.append(line).append('\n');
      }
    }
    holder.destroyForcibly();
    throw new IOException("could not create the pod's namespaces: " + said.toString().strip());
  }

  /**
   * The hostname as the kubelet truncates it: at most 63 characters, without a trailing '-' or '.'.
   */
  static String podHostname(String hostname) {
    if (hostname.length() <= 63) {
      return hostname;
    }
    return hostname.substring(0, 63).replaceAll("[-.]+$", "");
  }

  /**
   * The launch of a container's main process: {@code spec}'s argv, environment and terminal, run in
   * the pod's namespaces and new ones of its own, on {@code plan}'s root.
   */
  public LaunchSpec containerLaunch(
      LaunchSpec spec, RootfsPlan plan, PodNamespaces pod, PidMode pidMode) {
    List<String> argv = new ArrayList<>();
    argv.add(nsenter.toString());
    argv.add("--uts=" + pod.namespace("uts"));
    argv.add("--ipc=" + pod.namespace("ipc"));
    PidMode mode = effective(pidMode, pod);
    if (mode == PidMode.POD) {
      argv.add("--pid=" + pod.pidNamespace());
    }
    argv.addAll(List.of(unshare.toString(), "--mount", "--propagation", "private"));
    if (mode == PidMode.CONTAINER) {
      argv.addAll(List.of("--pid", "--fork", "--kill-child"));
    }
    argv.addAll(List.of("--", sh.toString(), "-c", INIT, "kubehop-init"));
    argv.add(plan.rootfs().toString());
    argv.add(plan.layer().toString());
    argv.add(plan.upper().toString());
    argv.add(plan.work().toString());
    argv.add(plan.workingDir());
    argv.add(Integer.toString(plan.binds().size()));
    for (Bind bind : plan.binds()) {
      argv.add(bind.hostPath().toString());
      argv.add(bind.containerPath());
      argv.add(bind.readOnly() ? "1" : "0");
    }
    argv.addAll(spec.argv());
    return spec.wrappedIn(argv, Path.of("/"));
  }

  /** A container asking for the pod's PID namespace in a pod without one gets its own. */
  static PidMode effective(PidMode requested, PodNamespaces pod) {
    return requested == PidMode.POD && !pod.sharesPid() ? PidMode.CONTAINER : requested;
  }

  /**
   * The host pid of a just launched container's PID 1, once its root is the container's: the
   * launcher itself without a new PID namespace, else the child it forks into the namespace. Until
   * the init script has mounted the root and changed into it, that process still sees the host's
   * files, and an exec entering it then (an exec probe right after the start) would run on the
   * host. 0 when the container did not come up in time. Blocking.
   */
  public long awaitInit(long launcherPid, PidMode pidMode, PodNamespaces pod) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INIT_WAIT_MILLIS);
    Object hostRoot = rootDevice(Path.of("/"));
    long seen = 0;
    while (System.nanoTime() < deadline) {
      long init = effective(pidMode, pod) == PidMode.NODE ? launcherPid : firstChild(launcherPid);
      if (init > 0) {
        seen = init;
        Object root = rootDevice(containerRoot(init));
        if (root != null && !root.equals(hostRoot)) {
          return init;
        }
      }
      if (ProcessHandle.of(launcherPid).map(p -> !p.isAlive()).orElse(true)) {
        // it ran and ended already (a quick command): started all the same
        return seen > 0 ? seen : launcherPid;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
    return 0;
  }

  /** The device and inode of a directory, or null when it cannot be read (a process that ended). */
  private static Object rootDevice(Path dir) {
    try {
      var attributes = Files.readAttributes(dir, "unix:dev,ino");
      return List.of(attributes.get("dev"), attributes.get("ino"));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The launch of an exec in a running container: its argv (argv[0] a path inside the container) in
   * the namespaces and the root of the container's PID 1, in {@code workingDir} of the container.
   */
  public static LaunchSpec execLaunch(
      LaunchSpec spec, long initPid, boolean enterPid, String workingDir) {
    List<String> argv = new ArrayList<>();
    argv.addAll(
        List.of(NSENTER.toString(), "-t", Long.toString(initPid), "--mount", "--uts", "--ipc"));
    if (enterPid) {
      argv.add("--pid");
    }
    // --wd names a directory as the runtime sees it: the container's, through its PID 1's root
    argv.addAll(List.of("--root", "--wd=" + containerRoot(initPid) + workingDir, "--"));
    argv.addAll(spec.argv());
    return spec.wrappedIn(argv, Path.of("/"));
  }

  /** The root of a running container as the runtime sees it. */
  public static Path containerRoot(long initPid) {
    return Path.of("/proc", Long.toString(initPid), "root");
  }

  /** The first child of a process, or 0. */
  static long firstChild(long pid) {
    Path children = Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children");
    try {
      String text = Files.readString(children).strip();
      if (text.isEmpty()) {
        return 0;
      }
      return Long.parseLong(text.split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Why namespaces are not available here, or empty: tries what a container start does (new
   * namespaces, an overlay mount, /proc) in a scratch directory.
   */
  static Optional<String> probe(Path stateDir) {
    for (String name : List.of("unshare", "nsenter", "sh", "mount", "cat")) {
      if (tool(name).isEmpty()) {
        return Optional.of("no " + name + " on " + SEARCH_PATH);
      }
    }
    if (busybox().isEmpty()) {
      return Optional.of("no statically linked busybox (Debian: apt-get install busybox-static)");
    }
    Path dir = stateDir.resolve("isolation-probe");
    try {
      Tree.delete(dir);
      for (String sub : List.of("lower/proc", "upper", "work", "root")) {
        Files.createDirectories(dir.resolve(sub));
      }
      Process probe =
          new ProcessBuilder(
                  tool("unshare").get().toString(),
                  "--uts",
                  "--ipc",
                  "--mount",
                  "--propagation",
                  "private",
                  "--pid",
                  "--fork",
                  "--kill-child",
                  "--",
                  tool("sh").get().toString(),
                  "-c",
                  "mount -t overlay overlay -o \"lowerdir=$1/lower,upperdir=$1/upper,workdir=$1/work\""
                      + " \"$1/root\" && mount -t proc proc \"$1/root/proc\"",
                  "kubehop-probe",
                  dir.toString())
              .redirectErrorStream(true)
              .start();
      String said = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!probe.waitFor(10, TimeUnit.SECONDS)) {
        probe.destroyForcibly();
        return Optional.of("the namespace probe did not finish in 10 s");
      }
      return probe.exitValue() == 0
          ? Optional.empty()
          : Optional.of("new namespaces and an overlay mount failed: " + said.strip());
    } catch (IOException e) {
      return Optional.of("the namespace probe failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    } finally {
      try {
        Tree.delete(dir);
      } catch (IOException e) {
        LOG.fine("could not delete " + dir + ": " + e);
      }
    }
  }

  private static Optional<Path> tool(String name) {
    return ExecutableResolver.resolve(name, SEARCH_PATH, Path.of("/"));
  }

  /** A busybox that runs in an empty root: statically linked (Debian's busybox-static). */
  static Optional<Path> busybox() {
    return tool("busybox").filter(Isolation::staticallyLinked);
  }

  /** True when the ELF file has no program interpreter (PT_INTERP), i.e. needs no ld.so. */
  static boolean staticallyLinked(Path elf) {
    try {
      byte[] bytes = Files.readAllBytes(elf);
      java.nio.ByteBuffer b =
          java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      if (bytes.length < 64 || b.getInt(0) != 0x464c457f || bytes[4] != 2) {
        return false; // not a 64-bit ELF
      }
      long phoff = b.getLong(0x20);
      int phentsize = Short.toUnsignedInt(b.getShort(0x36));
      int phnum = Short.toUnsignedInt(b.getShort(0x38));
      for (int i = 0; i < phnum; i++) {
        if (b.getInt((int) (phoff + (long) i * phentsize)) == 3) { // PT_INTERP
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
