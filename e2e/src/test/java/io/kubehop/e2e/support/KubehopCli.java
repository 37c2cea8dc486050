package io.kubehop.e2e.support;

import io.kubehop.testkit.CliClient;
import io.kubehop.testkit.Commands;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kubehop's own CLI ({@code bin/kubehop}) in kubectl's place, pointed at one cluster, with the
 * streaming commands pinned to one {@code --transport} (or at their default when it is null).
 */
public final class KubehopCli implements CliClient {

  /** The subcommands that take {@code --transport}. */
  private static final Set<String> STREAMING = Set.of("exec", "attach", "cp", "port-forward");

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final KubehopCluster cluster;
  private final String transport;

  KubehopCli(KubehopCluster cluster, String transport) {
    this.cluster = cluster;
    this.transport = transport;
  }

  @Override
  public List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(KubehopCluster.root().resolve("bin/kubehop").toString());
    for (int i = 0; i < args.length; i++) {
      command.add(args[i]);
      if (i == 0 && transport != null && STREAMING.contains(args[0])) {
        command.add("--transport=" + transport);
      }
    }
    return command;
  }

  @Override
  public Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(cluster.environment());
    Kubectl.CLIENT_VARIABLES.forEach(name -> env.put(name, null));
    env.put("KUBEHOP_HOME", cluster.home().toString());
    env.put("KUBECONFIG", cluster.kubeconfig().toString());
    return env;
  }

  @Override
  public ProcessResult run(String... args) {
    return run(null, DEADLINE, args);
  }

  @Override
  public ProcessResult run(String stdin, Duration deadline, String... args) {
    return Commands.run(
        command(args),
        environment(),
        stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8),
        deadline);
  }

  @Override
  public RunningCommand start(String... args) {
    return RunningCommand.start(command(args), environment());
  }

  @Override
  public String toString() {
    return transport == null ? "kubehop" : "kubehop --transport=" + transport;
  }
}
