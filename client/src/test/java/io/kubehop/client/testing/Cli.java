package io.kubehop.client.testing;

import io.kubehop.client.cli.CliContext;
import io.kubehop.client.cli.KubehopCommand;
import io.kubehop.client.rest.KubeconfigLoader;
import io.kubehop.testkit.ProcessResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the CLI in-process with captured streams and a given kubeconfig; the result compares with
 * kubectl's.
 */
public final class Cli {

  private Cli() {}

  public static ProcessResult runWithStdin(Path kubeconfig, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env =
        kubeconfig == null ? Map.of() : Map.of("KUBECONFIG", kubeconfig.toString());
    CliContext context =
        new CliContext(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new KubeconfigLoader(env, "/nonexistent-home"));
    int rc = KubehopCommand.commandLine(context).execute(args);
    return new ProcessResult(
        rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  public static ProcessResult run(Path kubeconfig, String... args) {
    return runWithStdin(kubeconfig, "", args);
  }
}
