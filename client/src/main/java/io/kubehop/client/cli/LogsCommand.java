package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.util.GoDuration;
import io.kubehop.client.rest.ApiResponse;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.ResourceType;
import java.io.InputStream;
import java.time.Duration;
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
    description = "Print the logs for a container in a pod.")
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
    String path = ResourceType.PODS.objectPath(s.namespace(), name);
    JsonNode object = s.client().get(path, Query.of(), MediaTypes.JSON_ANY);
    String chosen =
        container != null
            ? container
            : PodContainers.choose(object, containerArg, false, s.err()).path("name").asText();
    try (ApiResponse response =
            s.client().stream(path + "/log", query(chosen), MediaTypes.JSON_ANY);
        InputStream body = response.body()) {
      byte[] buffer = new byte[8192];
      for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
        s.out().write(buffer, 0, n);
        s.out().flush();
      }
    }
    return 0;
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
}
