package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.util.GoDuration;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.ResourceType;
import io.kubehop.client.stream.PortForwardDialer;
import io.kubehop.client.stream.StreamingClient;
import io.kubehop.client.stream.Transport;
import io.kubehop.streaming.portforward.client.PortForwarder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code kubehop port-forward POD [LOCAL:]REMOTE…}: kubectl's command, flags, messages and exit
 * codes. The pod is read first (named ports, UDP-only ports, the Running check), then one upgraded
 * connection carries every forwarded connection (see {@link PortForwarder}). Ctrl-C ends it with
 * exit 0, as kubectl; SIGTERM ends it as cleanly (GOAWAY, listeners closed) and exits 143, the
 * status kubectl's death by that signal gives. A lost connection is {@code error: lost connection
 * to pod}, exit 1.
 */
@Command(
    name = "port-forward",
    mixinStandardHelpOptions = true,
    customSynopsis =
        "  kubehop port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT"
            + " [...[LOCAL_PORT_N:]REMOTE_PORT_N]",
    description = {
      "Forward one or more local ports to a pod.",
      "",
      "Use resource type/name such as pod/mypod to select a pod. Resource type defaults to 'pod'"
          + " if omitted.",
      "",
      "The forwarding session ends when the selected pod terminates, and a rerun of the command"
          + " is needed to resume forwarding."
    },
    footer = {
      "  # Listen on ports 5000 and 6000 locally, forwarding data to/from ports 5000 and 6000 in"
          + " the pod",
      "  kubehop port-forward pod/mypod 5000 6000",
      "",
      "  # Listen on port 8888 locally, forwarding to 5000 in the pod",
      "  kubehop port-forward pod/mypod 8888:5000",
      "",
      "  # Listen on port 8888 on all addresses, forwarding to 5000 in the pod",
      "  kubehop port-forward --address 0.0.0.0 pod/mypod 8888:5000",
      "",
      "  # Listen on a random port locally, forwarding to 5000 in the pod",
      "  kubehop port-forward pod/mypod :5000"
    })
final class PortForwardCommand extends ApiCommand {

  static final String USAGE_ERROR =
      "TYPE/NAME and list of ports are required for port-forward\n"
          + "See 'kubehop port-forward -h' for help and examples";

  /** kubectl exits by SIGTERM's default action; a shell sees 128 + 15. */
  static final int TERMINATED = 143;

  private static final SecureRandom RANDOM = new SecureRandom();

  @Parameters(paramLabel = "ARG", description = "TYPE/NAME, then [LOCAL_PORT:]REMOTE_PORT…")
  List<String> args = new ArrayList<>();

  @Option(
      names = "--address",
      split = ",",
      paramLabel = "ADDRESSES",
      defaultValue = "localhost",
      description =
          "Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a"
              + " value. When localhost is supplied, kubehop will try to bind on both 127.0.0.1"
              + " and ::1 and will fail if neither of these addresses are available to bind.")
  List<String> addresses;

  @Option(
      names = "--pod-running-timeout",
      paramLabel = "DURATION",
      defaultValue = "1m0s",
      description =
          "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one"
              + " pod is running")
  String podRunningTimeout;

  @Option(
      names = "--transport",
      paramLabel = "auto|websocket|spdy",
      defaultValue = "auto",
      converter = TransportConverter.class,
      description =
          "Wire form: websocket is SPDY/3.1 tunnelled in a WebSocket (kubectl 1.31+), spdy a"
              + " SPDY/3.1 upgrade (kubectl 1.30 and older), auto the tunnel first and SPDY when"
              + " its upgrade is refused.")
  Transport transport;

  /** picocli's hook for {@link Transport#parse}. */
  static final class TransportConverter implements picocli.CommandLine.ITypeConverter<Transport> {
    @Override
    public Transport convert(String value) {
      return Transport.parse(value);
    }
  }

  @Override
  int run(Session s) throws Exception {
    Duration running;
    try {
      running = GoDuration.parse(podRunningTimeout);
    } catch (IllegalArgumentException e) { // a flag error: pflag's message, before anything else
      throw new CommandException(
          "invalid argument \""
              + podRunningTimeout
              + "\" for \"--pod-running-timeout\" flag: "
              + e.getMessage()
              + "\nSee 'kubehop port-forward --help' for usage.");
    }
    if (args.size() < 2) {
      throw new CommandException(USAGE_ERROR);
    }
    // Checked as kubectl checks it; a pod (the only type here) is forwarded without waiting.
    if (running.isNegative() || running.isZero()) {
      throw new CommandException(
          "--pod-running-timeout must be higher than zero\n"
              + "See 'kubehop port-forward -h' for help and examples");
    }
    String name = podName(args.get(0));
    List<String> specs = args.subList(1, args.size());
    String path = ResourceType.PODS.objectPath(s.namespace(), name);
    JsonNode pod = s.client().get(path, Query.of(), MediaTypes.JSON_ANY);
    List<String> ports = PodPorts.resolve(specs, pod);
    String phase = pod.path("status").path("phase").asText("");
    if (!phase.equals("Running")) {
      throw new CommandException(
          "unable to forward port because pod is not running. Current status=" + phase);
    }
    Integer verbosity = options.orElse(root.options()).verbosity;
    try (StreamingClient streaming = new StreamingClient(s.client().connection())) {
      PortForwarder forwarder;
      try {
        forwarder =
            new PortForwarder(
                streaming.vertx(),
                new PortForwardDialer(
                    streaming,
                    transport,
                    path + "/portforward",
                    sessionId(),
                    verbosity != null && verbosity >= 6 ? s.err() : null),
                addresses,
                ports,
                s.out(),
                s.err());
      } catch (IllegalArgumentException e) {
        throw new CommandException(e.getMessage());
      }
      AtomicInteger exitCode = new AtomicInteger(0);
      Signal.handle(new Signal("INT"), sig -> forwarder.stop());
      Signal.handle(
          new Signal("TERM"),
          sig -> {
            exitCode.set(TERMINATED);
            forwarder.stop();
          });
      try {
        forwarder.forwardPorts().toCompletionStage().toCompletableFuture().get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof PortForwarder.PortForwardException failure) {
          throw new CommandException(failure.getMessage());
        }
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
      return exitCode.get();
    }
  }

  /**
   * {@code NAME}, {@code pod/NAME} (also {@code pods/} and {@code po/}); other types are unknown.
   */
  static String podName(String arg) {
    int slash = arg.indexOf('/');
    if (slash < 0) {
      return arg;
    }
    String type = arg.substring(0, slash);
    if (!List.of("pod", "pods", "po").contains(type.toLowerCase(java.util.Locale.ROOT))) {
      throw new CommandException("the server doesn't have a resource type \"" + type + "\"");
    }
    return arg.substring(slash + 1);
  }

  /** The id each tier logs for this forward ({@code X-Kubehop-Session}). */
  private static String sessionId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
