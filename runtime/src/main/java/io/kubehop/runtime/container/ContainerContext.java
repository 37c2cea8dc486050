package io.kubehop.runtime.container;

import io.kubehop.cri.v1.ContainerConfig;
import io.kubehop.cri.v1.KeyValue;
import io.kubehop.runtime.pod.PodSandbox;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an exec reuses to start another process in a running container: its environment, working
 * directory, pod IP and hostname, and, when containers are isolated, the host pid of its PID 1
 * (whose namespaces and root an exec enters).
 *
 * @param environment the complete environment: a minimal base plus the container's envs, not the
 *     runtime's
 * @param workingDir the container's working directory
 * @param podIp the pod's IP, also exported as {@value #POD_IP_ENV}
 * @param hostname the pod's hostname, also exported as HOSTNAME
 * @param initPid the host pid of the container's PID 1 when it runs isolated, else 0
 * @param enterPid whether an exec joins the container's PID namespace (not with {@code hostPID})
 */
public record ContainerContext(
    Map<String, String> environment,
    Path workingDir,
    String podIp,
    String hostname,
    long initPid,
    boolean enterPid) {

  /** The environment variable carrying the pod IP. */
  public static final String POD_IP_ENV = "KUBEHOP_POD_IP";

  /** The PATH an image like busybox or debian sets. */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  public ContainerContext {
    environment = Map.copyOf(environment);
  }

  /** A context without isolation: the container's processes are host processes. */
  public ContainerContext(
      Map<String, String> environment, Path workingDir, String podIp, String hostname) {
    this(environment, workingDir, podIp, hostname, 0, false);
  }

  /** Whether the container runs in namespaces of its own. */
  public boolean isolated() {
    return initPid > 0;
  }

  /** This context with the container's PID 1 known. */
  public ContainerContext withInit(long initPid, boolean enterPid) {
    return new ContainerContext(environment, workingDir, podIp, hostname, initPid, enterPid);
  }

  /**
   * The context of a container of the sandbox. Its working directory defaults to the pod's
   * directory on the host, or to {@code /} (an image's default) when {@code isolated}.
   */
  public static ContainerContext of(ContainerConfig config, PodSandbox sandbox, boolean isolated) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", DEFAULT_PATH);
    env.put("HOME", "/root");
    env.put("HOSTNAME", sandbox.hostname());
    if (config.getTty()) {
      env.put("TERM", "xterm");
    }
    env.put(POD_IP_ENV, sandbox.ip());
    for (KeyValue kv : config.getEnvsList()) {
      env.put(kv.getKey(), kv.getValue());
    }
    Path defaultDir = isolated ? Path.of("/") : sandbox.podDir();
    Path workingDir =
        config.getWorkingDir().isEmpty() ? defaultDir : Path.of(config.getWorkingDir());
    return new ContainerContext(env, workingDir, sandbox.ip(), sandbox.hostname());
  }

  /** The environment with TERM set for a TTY (what an exec with a TTY gets). */
  public Map<String, String> environmentFor(boolean tty) {
    if (!tty || environment.containsKey("TERM")) {
      return environment;
    }
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.put("TERM", "xterm");
    return env;
  }
}
