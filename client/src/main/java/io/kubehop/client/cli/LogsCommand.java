package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.util.GoDuration;
import io.kubehop.client.rest.ApiResponse;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.ResourceType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubehop logs POD}: GETs the pod (to default the container), then {@code …/pods/POD/log}
 * with kubectl's query, and copies the body to stdout as it arrives. With {@code -f} it ends when
 * the server ends the stream.
 */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description =
        "Print the logs for a container in a pod. If the pod has only one container, the container name is optional.",
    customSynopsis = "  kubehop logs [-f] [-p] (POD | pod/NAME) [-c CONTAINER] [options]",
    footer = {
      "  # Return snapshot logs from pod nginx with only one container",
      "  kubehop logs nginx",
      "",
      "  # Return snapshot logs from pod nginx, prefixing each line with the source pod and container name",
      "  kubehop logs nginx --prefix",
      "",
      "  # Return snapshot logs from pod nginx with multi containers",
      "  kubehop logs nginx --all-containers=true",
      "",
      "  # Return snapshot logs of the previous terminated ruby container logs from pod web-1",
      "  kubehop logs -p -c ruby web-1",
      "",
      "  # Begin streaming the logs of the ruby container in pod web-1",
      "  kubehop logs -f -c ruby web-1",
      "",
      "  # Display only the most recent 20 lines of output in pod nginx",
      "  kubehop logs --tail=20 nginx",
      "",
      "  # Show all logs from pod nginx written in the last hour",
      "  kubehop logs --since=1h nginx"
    })
final class LogsCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "POD", description = "The pod (NAME or pod/NAME).")
  String pod;

  @Parameters(index = "1", arity = "0..1", paramLabel = "CONTAINER", description = "Same as -c.")
  String containerArg;

  @Option(
      names = {"-c", "--container"},
      paramLabel = "NAME",
      description = "The container (default: the first).")
  String container;

  @Option(
      names = {"-f", "--follow"},
      description = "Stream the logs.")
  boolean follow;

  @Option(
      names = "--tail",
      defaultValue = "-1",
      paramLabel = "LINES",
      description = "Lines of recent log to show.")
  long tail;

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      description = "Only logs newer than this, e.g. 10s, 5m.")
  String since;

  @Option(names = "--timestamps", description = "Prefix each line with its RFC 3339 timestamp.")
  boolean timestamps;

  @Option(
      names = {"-p", "--previous"},
      description = "The previous instance of the container.")
  boolean previous;

  @Option(names = "--all-containers", description = "Get all containers' logs in the pod(s).")
  boolean allContainers;

  @Option(
      names = "--prefix",
      description = "Prefix each log line with the log source (pod name and container name).")
  boolean prefix;

  @Option(
      names = "--max-log-requests",
      defaultValue = "5",
      paramLabel = "N",
      description =
          "Maximum number of concurrent logs to follow when using --all-containers. Defaults to 5.")
  int maxLogRequests;

  @Option(
      names = "--limit-bytes",
      defaultValue = "0",
      paramLabel = "BYTES",
      description = "Maximum bytes to return.")
  long limitBytes;

  @Override
  int run(Session s) throws Exception {
    String name =
        pod.startsWith("pod/")
            ? pod.substring(4)
            : pod.startsWith("pods/") ? pod.substring(5) : pod;
    String given = container != null ? container : containerArg;
    String path = ResourceType.PODS.objectPath(s.namespace(), name);
    JsonNode object = s.client().get(path, Query.of(), MediaTypes.JSON_ANY);
    if (allContainers && given != null) { // kubectl checks this after it has the pod
      throw new CommandException(
          "--all-containers=true should not be specified with container name " + given);
    }
    List<String> containers =
        allContainers
            ? allContainerNames(object)
            : List.of(PodContainers.choose(object, given, false, s.err()).path("name").asText());
    if (follow && containers.size() > maxLogRequests) {
      throw new CommandException(
          "you are attempting to follow "
              + containers.size()
              + " log streams, but maximum allowed concurrency is "
              + maxLogRequests
              + ", use --max-log-requests to increase the limit");
    }
    if (follow && containers.size() > 1) {
      followAll(s, path, name, containers);
      return 0;
    }
    for (String c : containers) {
      copy(s, path, c, prefix ? "[pod/" + name + "/" + c + "] " : null);
    }
    return 0;
  }

  /** One container's log to stdout, with each line prefixed when {@code linePrefix} is set. */
  private void copy(Session s, String path, String chosen, String linePrefix) throws Exception {
    try (ApiResponse response =
            s.client().stream(path + "/log", query(chosen), MediaTypes.JSON_ANY);
        InputStream body = response.body()) {
      if (linePrefix == null) {
        byte[] buffer = new byte[8192];
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
          synchronized (s.out()) {
            s.out().write(buffer, 0, n);
            s.out().flush();
          }
        }
        return;
      }
      // kubectl's prefixingWriter: the prefix starts each line; whole lines go out at once, so
      // that the streams of several containers interleave by line.
      LineReader lines = new LineReader(body);
      for (byte[] line = lines.next(); line != null; line = lines.next()) {
        synchronized (s.out()) {
          s.out().write(linePrefix.getBytes(StandardCharsets.UTF_8));
          s.out().write(line);
          s.out().flush();
        }
      }
    }
  }

  /**
   * kubectl's {@code parallelConsumeRequest}: every container's log at once, one thread each; the
   * first failure ends the command.
   */
  private void followAll(Session s, String path, String name, List<String> containers)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(containers.size());
    try {
      List<Future<?>> streams = new ArrayList<>();
      for (String c : containers) {
        String linePrefix = prefix ? "[pod/" + name + "/" + c + "] " : null;
        streams.add(
            pool.submit(
                () -> {
                  copy(s, path, c, linePrefix);
                  return null;
                }));
      }
      for (Future<?> stream : streams) {
        try {
          stream.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception cause ? cause : e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every container of the pod, in kubectl's {@code VisitContainers} order. */
  private static List<String> allContainerNames(JsonNode pod) {
    List<String> all = new ArrayList<>();
    JsonNode spec = pod.path("spec");
    for (String kind : List.of("initContainers", "containers", "ephemeralContainers")) {
      spec.path(kind).forEach(c -> all.add(c.path("name").asText()));
    }
    return all;
  }

  /** kubectl's query: {@code url.Values} sorted by key, only the parameters that were set. */
  Query query(String chosen) {
    Query q = Query.of().addIfPresent("container", chosen);
    if (follow) {
      q.add("follow", "true");
    }
    if (limitBytes > 0) {
      q.add("limitBytes", Long.toString(limitBytes));
    }
    if (previous) {
      q.add("previous", "true");
    }
    if (since != null) {
      Duration d = GoDuration.parse(since);
      q.add("sinceSeconds", Long.toString(Math.max(1, Math.round(d.toMillis() / 1000.0))));
    }
    if (tail >= 0) {
      q.add("tailLines", Long.toString(tail));
    }
    if (timestamps) {
      q.add("timestamps", "true");
    }
    return q;
  }

  /** Splits a byte stream into lines, each with its {@code \n}; the last may lack one. */
  private static final class LineReader {
    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int start;
    private int end;

    LineReader(InputStream in) {
      this.in = in;
    }

    byte[] next() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        if (start == end) {
          end = in.read(buffer);
          start = 0;
          if (end < 0) {
            end = 0;
            return line.size() == 0 ? null : line.toByteArray();
          }
        }
        for (int i = start; i < end; i++) {
          if (buffer[i] == '\n') {
            line.write(buffer, start, i + 1 - start);
            start = i + 1;
            return line.toByteArray();
          }
        }
        line.write(buffer, start, end - start);
        start = end;
      }
    }
  }
}
