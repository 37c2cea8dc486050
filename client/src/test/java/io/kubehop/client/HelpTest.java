package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.cli.CliContext;
import io.kubehop.client.cli.KubehopCommand;
import io.kubehop.client.testing.Cli;
import io.kubehop.testkit.ProcessResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --help} reads like kubectl's: description, {@code Examples:}, {@code Options:} as {@code
 * --name=default:} paragraphs, {@code Usage:}, and the pointer to {@code kubehop options}.
 */
class HelpTest {

  static final String TRAILER =
      "\nUse \"kubehop options\" for a list of global command-line options (applies to all"
          + " commands).\n";

  @Test
  void rootHelpListsCommandsThenUsage() {
    ProcessResult help = Cli.run(null, "--help");

    assertEquals(0, help.exitCode());
    assertTrue(help.stdout().startsWith("kubehop controls a kubehop cluster"), help.stdout());
    assertTrue(
        help.stdout().contains("\nCommands:\n  get           Display one or many resources.\n"),
        help.stdout());
    assertTrue(
        help.stdout()
            .endsWith(
                "\nUsage:\n  kubehop [flags] [options]\n\nUse \"kubehop <command> --help\" for more"
                    + " information about a given command."
                    + TRAILER),
        help.stdout());
    assertTrue(!help.stdout().contains("__complete"), "hidden");
  }

  @Test
  void logsHelpHasKubectlsSections() {
    String help = Cli.run(null, "logs", "--help").stdout();

    assertTrue(
        help.startsWith(
            "Print the logs for a container in a pod. If the pod has only one container, the"
                + " container name is optional.\n\nExamples:\n  # Return snapshot logs from pod"
                + " nginx with only one container\n  kubehop logs nginx\n"),
        help);
    assertTrue(
        help.contains(
            "\nOptions:\n    --all-containers=false:\n\tGet all containers' logs in the"
                + " pod(s).\n\n    -c, --container='':\n"),
        help);
    assertTrue(help.contains("\n    --tail=-1:\n"), help);
    assertTrue(
        help.endsWith(
            "\nUsage:\n  kubehop logs [-f] [-p] (POD | pod/NAME) [-c CONTAINER] [options]\n"
                + TRAILER),
        help);
    assertTrue(!help.contains("--kubeconfig"), "the shared options are in `kubehop options`");
  }

  @Test
  void optionsListsTheSharedOptions() {
    String options = Cli.run(null, "options").stdout();

    assertTrue(
        options.startsWith(
            "The following options can be passed to any command:\n\n    --context='':\n"),
        options);
    assertTrue(options.contains("\n    --kubeconfig='':\n"), options);
    assertTrue(options.contains("\n    -n, --namespace='':\n"), options);
  }

  /** Every visible command, also those added later, has the same shape. */
  @Test
  void everyCommandHasUsageOptionsAndTrailer() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    CommandLine root =
        KubehopCommand.commandLine(
            new CliContext(
                System.in,
                new PrintStream(sink),
                new PrintStream(sink),
                new io.kubehop.client.rest.KubeconfigLoader(Map.of(), "/nonexistent")));
    Pattern shape =
        Pattern.compile(
            "(?s)[^\\n].*\\n(\\nExamples:\\n.*)?\\nOptions:\\n    .*\\nUsage:\\n  kubehop \\S+.*"
                + Pattern.quote(TRAILER));
    for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
      if (sub.getValue().getCommandSpec().usageMessage().hidden()) {
        continue;
      }
      String help = Cli.run(null, sub.getKey(), "--help").stdout();
      assertTrue(shape.matcher(help).matches(), sub.getKey() + ":\n" + help);
      if (!sub.getValue().getCommandSpec().usageMessage().footer().equals(new String[0])) {
        assertTrue(help.contains("\nExamples:\n  # "), sub.getKey() + ":\n" + help);
      }
    }
  }
}
