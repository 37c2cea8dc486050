package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.ResourceType;
import io.kubehop.client.stream.Transport;
import picocli.CommandLine.Option;

/**
 * What exec and attach share: kubectl's flags ({@code -c}, {@code -i}, {@code -t}, {@code -q},
 * {@code --pod-running-timeout}) plus {@code --transport}, the pod GET that comes before any
 * upgrade, and the refusal of completed pods.
 */
abstract class StreamCommand extends ApiCommand {

  @Option(
      names = {"-c", "--container"},
      paramLabel = "NAME",
      description =
          "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation"
              + " for selecting the container to be attached or the first container in the pod"
              + " will be chosen")
  String container;

  @Option(
      names = {"-i", "--stdin"},
      description = "Pass stdin to the container")
  boolean stdin;

  @Option(
      names = {"-t", "--tty"},
      description = "Stdin is a TTY")
  boolean tty;

  @Option(
      names = {"-q", "--quiet"},
      description = "Only print output from the remote session")
  boolean quiet;

  @Option(
      names = "--pod-running-timeout",
      defaultValue = "1m0s",
      paramLabel = "DURATION",
      description =
          "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one"
              + " pod is running (accepted for kubectl compatibility)")
  String podRunningTimeout;

  @Option(
      names = "--transport",
      defaultValue = "auto",
      paramLabel = "auto|websocket|spdy",
      converter = TransportConverter.class,
      description =
          "The wire form: auto (WebSocket v5 first, SPDY/3.1 when the upgrade is refused, as"
              + " kubectl 1.30+), websocket or spdy")
  Transport transport;

  /** picocli converter with {@link Transport#parse}'s message. */
  static final class TransportConverter implements picocli.CommandLine.ITypeConverter<Transport> {
    @Override
    public Transport convert(String value) {
      return Transport.parse(value);
    }
  }

  /**
   * {@code NAME} or {@code pod/NAME} (also {@code pods/}, {@code po/}); other types are not served.
   */
  static String podName(String arg) {
    int slash = arg.indexOf('/');
    if (slash < 0) {
      return arg;
    }
    String type = arg.substring(0, slash);
    if (type.equals("pod") || type.equals("pods") || type.equals("po")) {
      return arg.substring(slash + 1);
    }
    throw new CommandException(
        "resource type \"" + type + "\" is not supported: kubehop resolves pods only");
  }

  /** The pod, with kubectl's refusal of a completed one. */
  JsonNode getRunnablePod(Session s, String name, String refusal) throws Exception {
    JsonNode pod =
        s.client()
            .get(
                ResourceType.PODS.objectPath(s.namespace(), name), Query.of(), MediaTypes.JSON_ANY);
    String phase = pod.path("status").path("phase").asText();
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      throw new CommandException(refusal + "; current phase is " + phase);
    }
    return pod;
  }

  /** kubectl's query of exec and attach; {@code command} is empty for attach. */
  Query query(java.util.List<String> command, String containerName, boolean useTty) {
    Query q = Query.of();
    command.forEach(c -> q.add("command", c));
    q.add("container", containerName);
    if (!useTty) {
      q.add("stderr", "true");
    }
    if (stdin) {
      q.add("stdin", "true");
    }
    q.add("stdout", "true");
    if (useTty) {
      q.add("tty", "true");
    }
    return q;
  }
}
