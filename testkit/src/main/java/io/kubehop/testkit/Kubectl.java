package io.kubehop.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stock kubectl binary of one minor version, pointed at one kubeconfig with a cache dir of its
 * own. Creating one applies the {@link Tools} policy: a missing binary fails the test under {@code
 * CI=true} and skips it elsewhere.
 *
 * <p>kubectl runs at its defaults: the variables that choose its transport or its kubeconfig
 * ({@link #CLIENT_VARIABLES}) are removed from the inherited environment, so a developer's shell
 * does not change what a test proves; {@link #env} sets them per test.
 */
public final class Kubectl implements CliClient {

  /**
   * Where the machine's stock kubectls live, one per minor version: {@code kubectl.1.27} … {@code
   * kubectl.1.33}.
   */
  public static final Path DIR = Path.of("/usr/lib/google-cloud-sdk/bin");

  /** The minor versions kubehop works with, each a stock binary in {@link #DIR}. */
  public static final List<String> MINORS =
      List.of("1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33");

  /** Variables that would change which server, or which protocol, kubectl uses. */
  public static final List<String> CLIENT_VARIABLES =
      List.of("KUBECONFIG", "KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "KUBECTL_PORT_FORWARD_WEBSOCKETS");

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final String minor;
  private final Path binary;
  private final Path kubeconfig;
  private final Path cacheDir;
  private final Map<String, String> env = new HashMap<>();

  public Kubectl(String minor, Path kubeconfig, Path cacheDir) {
    this.minor = minor;
    this.binary = binary(minor);
    this.kubeconfig = kubeconfig;
    this.cacheDir = cacheDir;
    CLIENT_VARIABLES.forEach(name -> env.put(name, null));
  }

  /**
   * The stock kubectl of {@code minor}, e.g. {@code binary("1.33")}; fails (CI) or skips
   * (elsewhere) if missing.
   */
  public static Path binary(String minor) {
    return Tools.require(DIR.resolve("kubectl." + minor), "kubectl " + minor);
  }

  public String minor() {
    return minor;
  }

  /**
   * Sets an environment variable for every later run, e.g. {@code
   * KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false}.
   */
  public Kubectl env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** The whole command line for {@code args}, for runners of its own (a pseudo-terminal). */
  @Override
  public List<String> command(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "--cache-dir",
                cacheDir.toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** The changes to the inherited environment: a {@code null} value removes the variable. */
  @Override
  public Map<String, String> environment() {
    return new HashMap<>(env);
  }

  /** Runs kubectl with no stdin, for at most 60 s. */
  @Override
  public ProcessResult run(String... args) {
    return run(null, DEADLINE, args);
  }

  /**
   * Runs kubectl with {@code stdin} (then EOF; none if null); fails the test if it runs past {@code
   * deadline}.
   */
  @Override
  public ProcessResult run(String stdin, Duration deadline, String... args) {
    return Commands.run(
        command(args),
        env,
        stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8),
        deadline);
  }

  /** Starts a kubectl that runs until stopped, e.g. {@code port-forward} or {@code get pods -w}. */
  @Override
  public RunningCommand start(String... args) {
    return RunningCommand.start(command(args), env);
  }

  @Override
  public String toString() {
    return "kubectl " + minor;
  }
}
