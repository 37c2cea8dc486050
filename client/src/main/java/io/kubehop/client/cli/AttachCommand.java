package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.client.rest.ResourceType;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code kubehop attach (POD | pod/NAME) [-c CONTAINER] [-i] [-t] [-q]}: kubectl's attach to the
 * container's main process, over the same transports as exec. A tty follows the container's spec as
 * kubectl does: {@code -t} on a container without one is dropped with kubectl's notice, and a
 * container with a tty gets one.
 */
@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    customSynopsis = "  kubehop attach (POD | TYPE/NAME) -c CONTAINER [options]",
    description = "Attach to a process that is already running inside an existing container.",
    footer = {
      "  # Get output from running pod mypod; use the 'kubectl.kubernetes.io/default-container'"
          + " annotation",
      "  # for selecting the container to be attached or the first container in the pod will be"
          + " chosen",
      "  kubehop attach mypod",
      "",
      "  # Get output from ruby-container from pod mypod",
      "  kubehop attach mypod -c ruby-container",
      "",
      "  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod",
      "  # and sends stdout/stderr from 'bash' back to the client",
      "  kubehop attach mypod -c ruby-container -i -t"
    })
final class AttachCommand extends StreamCommand {

  @Parameters(paramLabel = "POD", arity = "0..*", description = "The pod.")
  List<String> args = new ArrayList<>();

  @Override
  int run(Session s) throws Exception {
    if (args.isEmpty()) {
      throw new CommandException("at least 1 argument is required for attach");
    }
    if (args.size() > 1) {
      throw new CommandException(
          "expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw "
              + args.size()
              + ": "
              + args);
    }
    String name = podName(args.get(0));
    JsonNode pod = getRunnablePod(s, name, "cannot attach a container in a completed pod");
    JsonNode chosen = PodContainers.choose(pod, container, quiet, s.err());
    String containerName = chosen.path("name").asText();
    boolean wantTty = tty;
    if (wantTty && !chosen.path("tty").asBoolean(false)) {
      wantTty = false;
      if (!quiet) {
        s.err()
            .println(
                "error: Unable to use a TTY - container "
                    + containerName
                    + " did not allocate one");
      }
    } else if (!wantTty && chosen.path("tty").asBoolean(false)) {
      // kubectl: the container has a tty, so the session must have one (else the runtime's
      // stream is unreadable)
      wantTty = true;
    }
    StreamSession.Terminal terminal = StreamSession.setUpTty(stdin, wantTty, quiet, s.err());
    if (!quiet) {
      s.err().println("If you don't see a command prompt, try pressing enter.");
    }
    String path = ResourceType.PODS.objectPath(s.namespace(), name) + "/attach";
    int rc =
        new StreamSession(s, transport)
            .run(
                path + query(List.of(), containerName, terminal.tty()).encode(),
                stdin,
                terminal,
                true);
    if (!quiet
        && stdin
        && terminal.tty()
        && !"Never".equals(pod.path("spec").path("restartPolicy").asText())) {
      s.out()
          .println(
              "Session ended, resume using 'kubehop attach "
                  + name
                  + " -c "
                  + containerName
                  + " -i -t' command when the pod is running");
    }
    return rc;
  }
}
