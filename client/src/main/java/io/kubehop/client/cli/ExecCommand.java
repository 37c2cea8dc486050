package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.client.rest.ResourceType;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kubehop exec (POD | pod/NAME) [-c CONTAINER] [-i] [-t] [-q] -- COMMAND [args...]}:
 * kubectl's exec. GETs the pod, picks the container, then upgrades {@code .../pods/NAME/exec} over
 * WebSocket or SPDY ({@code --transport}) and relays the streams; the remote exit code becomes the
 * CLI's.
 */
@Command(
    name = "exec",
    mixinStandardHelpOptions = true,
    customSynopsis =
        "  kubehop exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
    description = "Execute a command in a container.",
    footer = {
      "  # Get output from running the 'date' command from pod mypod, using the first container"
          + " by default",
      "  kubehop exec mypod -- date",
      "",
      "  # Get output from running the 'date' command in ruby-container from pod mypod",
      "  kubehop exec mypod -c ruby-container -- date",
      "",
      "  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod",
      "  # and sends stdout/stderr from 'bash' back to the client",
      "  kubehop exec mypod -c ruby-container -i -t -- bash -il",
      "",
      "  # The same over SPDY/3.1 only, printing the handshake",
      "  kubehop exec mypod --transport=spdy -v=6 -i -t -- sh"
    })
final class ExecCommand extends StreamCommand {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "POD", arity = "0..*", description = "The pod, then -- and the command.")
  List<String> args = new ArrayList<>();

  @Override
  int run(Session s) throws Exception {
    int commandLength = argsAfterDash();
    if (args.isEmpty() || args.size() == commandLength) {
      throw new CommandException("pod, type/name or --filename must be specified");
    }
    List<String> command;
    if (commandLength < 0) {
      if (args.size() > 1) {
        throw new CommandException(
            "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\n"
                + "See 'kubehop exec -h' for help and examples");
      }
      command = List.of();
    } else {
      command = args.subList(args.size() - commandLength, args.size());
    }
    if (command.isEmpty()) {
      throw new CommandException("you must specify at least one command for the container");
    }
    String name = podName(args.get(0));
    JsonNode pod = getRunnablePod(s, name, "cannot exec into a container in a completed pod");
    String containerName =
        PodContainers.choose(pod, container, quiet, s.err()).path("name").asText();
    StreamSession.Terminal terminal = StreamSession.setUpTty(stdin, tty, quiet, s.err());
    String path = ResourceType.PODS.objectPath(s.namespace(), name) + "/exec";
    return new StreamSession(s, transport)
        .run(path + query(command, containerName, terminal.tty()).encode(), stdin, terminal, false);
  }

  /** How many arguments followed {@code --} (picocli drops the delimiter), or -1 without one. */
  private int argsAfterDash() {
    List<String> original = spec.commandLine().getParseResult().originalArgs();
    int dash = original.indexOf("--");
    return dash < 0 ? -1 : original.size() - dash - 1;
  }
}
