package io.kubehop.client.testing;

import io.kubehop.client.cli.CliContext;
import io.kubehop.client.cli.KubehopCommand;
import io.kubehop.client.rest.KubeconfigLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the CLI in-process with captured streams and a given kubeconfig. */
public final class Cli {

  /** What one run printed and returned. */
  public record Result(int rc, String out, String err) {
  }

  private Cli() {
  }

  public static Result runWithStdin(Path kubeconfig, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = kubeconfig == null ? Map.of() : Map.of("KUBECONFIG", kubeconfig.toString());
    CliContext context = new CliContext(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        new KubeconfigLoader(env, "/nonexistent-home"));
    int rc = KubehopCommand.commandLine(context).execute(args);
    return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  public static Result run(Path kubeconfig, String... args) {
    return runWithStdin(kubeconfig, "", args);
  }
}
