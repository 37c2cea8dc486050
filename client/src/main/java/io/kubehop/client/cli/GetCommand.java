package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.core.WatchEvent;
import io.kubehop.api.meta.StatusException;
import io.kubehop.client.printers.ObjectPrinter;
import io.kubehop.client.printers.TabWriter;
import io.kubehop.client.printers.TablePrinter;
import io.kubehop.client.rest.ApiErrors;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.ResourceType;
import io.kubehop.client.rest.WatchStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubehop get TYPE [NAME…]}: Tables from the server printed like kubectl's human printer, or
 * objects as json/yaml/name; {@code -w} lists, then watches from the list's resourceVersion.
 */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Display one or many resources.",
    customSynopsis =
        "  kubehop get [(-o|--output=)json|yaml|name|wide] (TYPE [NAME | -l label] | TYPE/NAME ...) [flags] [options]",
    footer = {
      "  # List all pods in ps output format",
      "  kubehop get pods",
      "",
      "  # List all pods in ps output format with more information (such as node name)",
      "  kubehop get pods -o wide",
      "",
      "  # List a single pod in JSON output format",
      "  kubehop get -o json pod web-pod-13je7",
      "",
      "  # List pods, then every change to them as it happens",
      "  kubehop get pods -w",
      "",
      "  # List all nodes",
      "  kubehop get nodes"
    })
final class GetCommand extends ApiCommand {

  @Parameters(
      index = "0",
      paramLabel = "TYPE",
      description = "pods (pod, po), nodes (node, no), namespaces (ns).")
  String type;

  @Parameters(index = "1..*", paramLabel = "NAME", description = "Names of the objects to get.")
  List<String> names = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "wide, yaml, json or name.")
  String output;

  @Option(
      names = {"-w", "--watch"},
      description = "After listing, watch for changes.")
  boolean watch;

  @Option(
      names = "--watch-only",
      description = "Watch for changes to the requested object(s), without listing/getting first.")
  boolean watchOnly;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "List across all namespaces.")
  boolean allNamespaces;

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "SELECTOR",
      description = "Label selector, e.g. app=web.")
  String selector;

  @Override
  int run(Session s) throws Exception {
    if (type.contains("/")) { // kubectl's TYPE/NAME form
      names.add(0, type.substring(type.indexOf('/') + 1));
      type = type.substring(0, type.indexOf('/'));
    }
    ResourceType resource =
        ResourceType.lookup(type)
            .orElseThrow(
                () ->
                    new CommandException(
                        "the server doesn't have a resource type \"" + type + "\""));
    if (output != null && !output.equals("wide") && !ObjectPrinter.supports(output)) {
      throw new CommandException(
          "unable to match a printer suitable for the output format \""
              + output
              + "\", allowed formats are: json,name,wide,yaml");
    }
    watch |= watchOnly;
    String namespace = allNamespaces || !resource.namespaced() ? null : s.namespace();
    return output == null || output.equals("wide")
        ? table(s, resource, namespace)
        : objects(s, resource, namespace);
  }

  private int table(Session s, ResourceType resource, String namespace) throws Exception {
    TabWriter writer = new TabWriter(s.out());
    TablePrinter printer =
        new TablePrinter(writer, "wide".equals(output), allNamespaces && resource.namespaced());
    List<StatusException> errors = new ArrayList<>();
    int rows = 0;
    String resourceVersion = null;
    if (names.isEmpty()) {
      Query query = listQuery();
      while (true) {
        JsonNode table =
            asTable(s.client().get(resource.collectionPath(namespace), query, MediaTypes.TABLE));
        if (!watchOnly) {
          printer.print(table);
        }
        rows += table.path("rows").size();
        resourceVersion = table.path("metadata").path("resourceVersion").asText(null);
        String next = table.path("metadata").path("continue").asText("");
        if (next.isEmpty()) {
          break;
        }
        query = listQuery().add("continue", next);
      }
    } else {
      for (String name : names) {
        try {
          JsonNode table =
              asTable(
                  s.client()
                      .get(resource.objectPath(namespace, name), Query.of(), MediaTypes.TABLE));
          if (!watchOnly) {
            printer.print(table);
          }
          rows += table.path("rows").size();
          // kubectl watches one object from "0" (~now, with an initial event), not from its
          // resourceVersion, which may be older than the watch window.
          resourceVersion = "0";
        } catch (StatusException e) {
          errors.add(e);
        }
      }
    }
    writer.flush();
    if (rows == 0 && names.isEmpty() && !watch) { // kubectl stays silent when it goes on watching
      s.err().println(noResources(resource, namespace));
    }
    for (StatusException e : errors) {
      s.err().println(ExitCodes.message(e));
    }
    if (!errors.isEmpty()) {
      return 1;
    }
    if (watch) {
      watchTable(s, resource, namespace, resourceVersion, printer, writer);
    }
    return 0;
  }

  private void watchTable(
      Session s,
      ResourceType resource,
      String namespace,
      String resourceVersion,
      TablePrinter printer,
      TabWriter writer)
      throws Exception {
    try (WatchStream events =
        s.client()
            .watch(
                resource.collectionPath(namespace),
                watchQuery(resourceVersion),
                MediaTypes.TABLE)) {
      boolean synthetic = names.size() == 1;
      if (synthetic) {
        // kubectl prints the watch of one object with a printer of its own (a new header) on the
        // same tab writer (remembered widths).
        printer =
            new TablePrinter(writer, "wide".equals(output), allNamespaces && resource.namespaced());
      }
      for (Optional<WatchEvent> e = events.next(); e.isPresent(); e = events.next()) {
        WatchEvent event = e.get();
        if (WatchEvent.ERROR.equals(event.type())) {
          throw ApiErrors.fromEventObject(event.object());
        }
        if (synthetic) {
          // A watch of one object from "0" starts with a synthetic ADDED of it: kubectl has
          // printed the object already (or, with --watch-only, means only later changes).
          synthetic = false;
          printer.remember(asTable(event.object()));
          continue;
        }
        if (!WatchEvent.BOOKMARK.equals(event.type())) {
          printer.print(asTable(event.object()));
          writer.flush();
        }
      }
    }
  }

  private int objects(Session s, ResourceType resource, String namespace) throws Exception {
    ObjectPrinter printer = new ObjectPrinter(output, s.out());
    List<JsonNode> found = new ArrayList<>();
    List<StatusException> errors = new ArrayList<>();
    String resourceVersion = null;
    if (names.isEmpty()) {
      JsonNode list =
          s.client().get(resource.collectionPath(namespace), listQuery(), MediaTypes.JSON);
      list.path("items").forEach(found::add);
      resourceVersion = list.path("metadata").path("resourceVersion").asText(null);
    } else {
      for (String name : names) {
        try {
          JsonNode object =
              s.client().get(resource.objectPath(namespace, name), Query.of(), MediaTypes.JSON);
          found.add(object);
          resourceVersion = "0";
        } catch (StatusException e) {
          errors.add(e);
        }
      }
    }
    if (watchOnly) {
      // listed only for the resourceVersion to watch from
    } else if (names.size() == 1 && found.size() == 1) {
      printer.print(found.get(0));
    } else if (!found.isEmpty() || errors.isEmpty()) {
      printer.print(ObjectPrinter.list(found, resource.kind()));
    }
    for (StatusException e : errors) {
      s.err().println(ExitCodes.message(e));
    }
    if (!errors.isEmpty()) {
      return 1;
    }
    if (watch) {
      try (WatchStream events =
          s.client()
              .watch(
                  resource.collectionPath(namespace),
                  watchQuery(resourceVersion),
                  MediaTypes.JSON)) {
        boolean synthetic = names.size() == 1;
        for (Optional<WatchEvent> e = events.next(); e.isPresent(); e = events.next()) {
          if (WatchEvent.ERROR.equals(e.get().type())) {
            throw ApiErrors.fromEventObject(e.get().object());
          }
          if (synthetic) { // see watchTable
            synthetic = false;
            continue;
          }
          printer.print(e.get().object());
        }
      }
    }
    return 0;
  }

  private Query listQuery() {
    return Query.of().add("limit", "500").addIfPresent("labelSelector", selector);
  }

  private Query watchQuery(String resourceVersion) {
    Query query =
        Query.of()
            .add("watch", "true")
            .addIfPresent("labelSelector", selector)
            .addIfPresent("resourceVersion", resourceVersion);
    if (names.size() == 1) {
      query.add("fieldSelector", "metadata.name=" + names.get(0));
    }
    return query;
  }

  /** The server's Table, or kubectl's own NAME/AGE Table when the server sent plain objects. */
  private static JsonNode asTable(JsonNode answer) {
    return "Table".equals(answer.path("kind").asText())
        ? answer
        : ObjectPrinter.nameAgeTable(answer, Instant.now());
  }

  private static String noResources(ResourceType resource, String namespace) {
    return resource.namespaced() && namespace != null
        ? "No resources found in " + namespace + " namespace."
        : "No resources found";
  }
}
