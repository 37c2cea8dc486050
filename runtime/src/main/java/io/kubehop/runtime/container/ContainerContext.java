package io.kubehop.runtime.container;

import io.kubehop.cri.v1.ContainerConfig;
import io.kubehop.cri.v1.KeyValue;
import io.kubehop.runtime.pod.PodSandbox;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What makes a process run "in a container" here, since the filesystem and namespaces are the
 * host's: its environment, working directory, pod IP and hostname. The main process starts with it,
 * and an exec (next issue) reuses it to start another process in the same context.
 *
 * @param environment the complete environment: a minimal base plus the container's envs, not the
 *     runtime's
 * @param workingDir the container's working directory
 * @param podIp the pod's IP, also exported as {@value #POD_IP_ENV}
 * @param hostname the pod's hostname, also exported as HOSTNAME
 */
public record ContainerContext(
    Map<String, String> environment, Path workingDir, String podIp, String hostname) {

  /** The environment variable carrying the pod IP. */
  public static final String POD_IP_ENV = "KUBEHOP_POD_IP";

  /** The PATH an image like busybox or debian sets. */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  public ContainerContext {
    environment = Map.copyOf(environment);
  }

  /** The context of a container of the sandbox. */
  public static ContainerContext of(ContainerConfig config, PodSandbox sandbox) {
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
    Path workingDir =
        config.getWorkingDir().isEmpty() ? sandbox.podDir() : Path.of(config.getWorkingDir());
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
