package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusException;
import io.kubehop.api.util.GoDuration;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.ResourceType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubehop delete pod NAME…}: DELETE with {@code {"propagationPolicy":"Background"}}, print
 * {@code pod "NAME" deleted}, then (by default) wait until each object is gone.
 */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete resources by file names, stdin, resources and names.",
    customSynopsis = "  kubehop delete (TYPE [NAME | -l label] | TYPE/NAME) [options]",
    footer = {
      "  # Delete a pod with minimal delay",
      "  kubehop delete pod foo --now",
      "",
      "  # Delete pods foo and bar",
      "  kubehop delete pods foo bar"
    })
final class DeleteCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "TYPE")
  String type;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "NAME")
  List<String> names = new ArrayList<>();

  @Option(
      names = "--grace-period",
      defaultValue = "-1",
      paramLabel = "SECONDS",
      description = "Seconds the pod gets to terminate; -1 keeps the pod's own.")
  int gracePeriod;

  @Option(
      names = "--now",
      description = "Signal the pod to stop immediately (same as --grace-period=1).")
  boolean now;

  @Option(names = "--force", description = "With --grace-period=0: remove the object at once.")
  boolean force;

  @Option(
      names = "--wait",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      description = "Wait until the objects are gone (default true).")
  boolean waitForDeletion;

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description = "How long to wait for the deletion (default 60s).")
  String timeout;

  @Override
  int run(Session s) throws Exception {
    if (type.contains("/")) { // kubectl's TYPE/NAME form
      names.add(0, type.substring(type.indexOf('/') + 1));
      type = type.substring(0, type.indexOf('/'));
    }
    if (names.isEmpty()) {
      throw new CommandException("resource(s) were provided, but no name was specified");
    }
    ResourceType resource =
        ResourceType.lookup(type)
            .orElseThrow(
                () ->
                    new CommandException(
                        "the server doesn't have a resource type \"" + type + "\""));
    byte[] body = body(s).getBytes(StandardCharsets.UTF_8);
    String namespace = resource.namespaced() ? s.namespace() : null;
    Map<String, String> deleted = new LinkedHashMap<>();
    int rc = 0;
    for (String name : names) {
      try {
        JsonNode answer =
            s.client()
                .send(
                    "DELETE",
                    resource.objectPath(namespace, name),
                    Query.of(),
                    MediaTypes.JSON,
                    body);
        deleted.put(name, answer.path("metadata").path("uid").asText(null));
        s.out().println(resource.singular() + " \"" + name + "\" deleted");
      } catch (StatusException e) {
        s.err().println(ExitCodes.message(e));
        rc = 1;
      }
    }
    if (waitForDeletion) {
      Duration limit = GoDuration.parse(timeout);
      try (DeletionWaiter waiter = new DeletionWaiter(s.client())) {
        for (Map.Entry<String, String> d : deleted.entrySet()) {
          waiter.await(resource, namespace, d.getKey(), d.getValue(), limit);
        }
      }
    }
    return rc;
  }

  /** DeleteOptions with Go's field order: gracePeriodSeconds before propagationPolicy. */
  private String body(Session s) {
    int grace = now ? 1 : gracePeriod;
    if (grace == 0 && !force) {
      // kubectl turns --grace-period=0 into 1 unless --force: immediate removal must be asked for
      // explicitly
      grace = 1;
    }
    if (force) {
      s.err()
          .println(
              "Warning: Immediate deletion does not wait for confirmation that the running resource has "
                  + "been terminated. The resource may continue to run on the cluster indefinitely.");
      grace = Math.max(grace, 0);
    }
    ObjectNode options = JsonNodeFactory.instance.objectNode();
    if (grace >= 0) {
      options.put("gracePeriodSeconds", grace);
    }
    options.put("propagationPolicy", "Background");
    return options + "\n"; // runtime.Encode's trailing newline, as kubectl sends it
  }
}
