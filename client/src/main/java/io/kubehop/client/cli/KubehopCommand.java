package io.kubehop.client.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * The root command: {@code kubehop <command>}. Without a subcommand it prints usage (picocli's
 * {@code Git} example). {@code up}, {@code down} and {@code status} are handled by the {@code
 * bin/kubehop} script before this runs.
 */
@Command(
    name = "kubehop",
    mixinStandardHelpOptions = true,
    version = "kubehop client 0.1.0",
    description = {
      "kubehop controls a kubehop cluster, as kubectl controls Kubernetes.",
      "",
      " Cluster lifecycle: kubehop up | down | status (bin/kubehop up --help)."
    },
    subcommands = {
      GetCommand.class,
      RunCommand.class,
      DeleteCommand.class,
      ApplyCommand.class,
      LogsCommand.class,
      PortForwardCommand.class,
      ExecCommand.class,
      AttachCommand.class,
      CpCommand.class,
      DescribeCommand.class,
      TraceCommand.class,
      FaultCommand.class,
      ReplayCommand.class,
      CompletionCommand.class,
      OptionsCommand.class,
      CompleteCommand.class,
      PkiCommand.class
    })
public final class KubehopCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions options;

  private final CliContext context;

  public KubehopCommand(CliContext context) {
    this.context = context;
  }

  CliContext context() {
    return context;
  }

  ClusterOptions options() {
    return options;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** The configured command line, with kubectl's error output and exit codes. */
  public static CommandLine commandLine(CliContext context) {
    CommandLine cl = new CommandLine(new KubehopCommand(context));
    cl.setOut(new PrintWriter(context.out(), true));
    cl.setErr(new PrintWriter(context.err(), true));
    ExitCodes exitCodes = new ExitCodes(context.err());
    cl.setExitCodeExceptionMapper(exitCodes);
    cl.setExecutionExceptionHandler(exitCodes);
    cl.setParameterExceptionHandler(exitCodes);
    HelpLayout.apply(cl);
    cl.getSubcommands()
        .get("__complete")
        .setEndOfOptionsDelimiter(CompleteCommand.NO_END_OF_OPTIONS);
    return cl;
  }
}
