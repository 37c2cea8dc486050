package io.kubehop.client.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code kubehop options}: the options every command takes, as {@code kubectl options}. */
@Command(
    name = "options",
    mixinStandardHelpOptions = true,
    description = "Print the list of flags inherited by all commands.",
    footer = {"  # Print flags inherited by all commands", "  kubehop options"})
final class OptionsCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine.Model.CommandSpec root = spec.root();
    spec.commandLine()
        .getOut()
        .print(
            "The following options can be passed to any command:\n\n"
                + HelpLayout.options(root, true));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
