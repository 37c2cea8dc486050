package io.kubehop.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A stock kubectl binary of one minor version, pointed at a kubehop cluster with a cache dir of its own. */
public final class Kubectl {

  private final String minor;
  private final Path binary;
  private final KubehopCluster cluster;
  private final Path cacheDir;
  private final Map<String, String> env = new HashMap<>();

  public Kubectl(String minor, KubehopCluster cluster) {
    this.minor = minor;
    this.binary = Tools.kubectl(minor);
    this.cluster = cluster;
    try {
      this.cacheDir = Files.createTempDirectory(cluster.home(), "kubectl-cache-" + minor + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String minor() {
    return minor;
  }

  /** Sets an environment variable for every later run, e.g. {@code KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false}. */
  public Kubectl env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public ProcessResult run(String... args) {
    return run(null, Duration.ofSeconds(60), args);
  }

  public ProcessResult run(String stdin, Duration deadline, String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString(),
        "--kubeconfig", cluster.kubeconfig().toString(), "--cache-dir", cacheDir.toString()));
    command.addAll(List.of(args));
    Map<String, String> environment = new HashMap<>(env);
    environment.put("HOME", cluster.home().toString());
    return Commands.run(command, environment,
        stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8), deadline);
  }

  @Override
  public String toString() {
    return "kubectl " + minor;
  }
}
