package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.meta.StatusException;
import io.kubehop.api.meta.StatusReason;
import io.kubehop.client.printers.DescribeWriter;
import io.kubehop.client.printers.NodeDescriber;
import io.kubehop.client.printers.PodDescriber;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.ResourceType;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code kubehop describe pod|node NAME…}: kubectl's describe layout for pods and nodes, from the
 * object and, as kubectl reads them, the node's pods and Lease and the object's events.
 */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description =
        "Show details of a specific pod or node. A NAME that is not found describes every object whose name starts with it.",
    customSynopsis = "  kubehop describe (pod | node) NAME_PREFIX [options]",
    footer = {
      "  # Describe a node",
      "  kubehop describe nodes node-1",
      "",
      "  # Describe a pod",
      "  kubehop describe pods/nginx",
      "",
      "  # Describe pods whose names start with web",
      "  kubehop describe pod web"
    })
final class DescribeCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "TYPE", description = "pod or node (or TYPE/NAME).")
  String type;

  @Parameters(index = "1..*", paramLabel = "NAME", description = "Names of the objects.")
  List<String> names = new ArrayList<>();

  @Override
  int run(Session s) throws Exception {
    if (type.contains("/")) {
      names.add(0, type.substring(type.indexOf('/') + 1));
      type = type.substring(0, type.indexOf('/'));
    }
    ResourceType resource =
        ResourceType.lookup(type)
            .filter(r -> r == ResourceType.PODS || r == ResourceType.NODES)
            .orElseThrow(
                () ->
                    new CommandException(
                        "the server doesn't have a resource type \"" + type + "\""));
    if (names.isEmpty()) {
      throw new CommandException("kubehop describe needs a NAME (describe " + type + " NAME)");
    }
    String namespace = resource.namespaced() ? s.namespace() : null;
    if (names.size() == 1) {
      JsonNode object;
      try {
        object =
            s.client()
                .get(resource.objectPath(namespace, names.get(0)), Query.of(), MediaTypes.JSON);
      } catch (StatusException e) {
        if (!StatusReason.NOT_FOUND.equals(e.status().reason())) {
          throw e;
        }
        return describePrefixed(s, resource, namespace, names.get(0), e);
      }
      describe(s, resource, object);
      return 0;
    }
    List<StatusException> errors = new ArrayList<>();
    boolean first = true;
    for (String name : names) {
      JsonNode object;
      try {
        object = s.client().get(resource.objectPath(namespace, name), Query.of(), MediaTypes.JSON);
      } catch (StatusException e) {
        errors.add(e);
        continue;
      }
      if (!first) {
        s.out().print("\n\n");
      }
      first = false;
      describe(s, resource, object);
    }
    for (StatusException e : errors) {
      s.err().println(ExitCodes.message(e));
    }
    return errors.isEmpty() ? 0 : 1;
  }

  /**
   * kubectl's {@code DescribeMatchingResources}: a single name that is not found describes every
   * object whose name starts with it, each followed by a blank line; none is the original error.
   */
  private static int describePrefixed(
      Session s, ResourceType resource, String namespace, String prefix, StatusException notFound)
      throws Exception {
    JsonNode list =
        s.client()
            .get(
                resource.collectionPath(namespace),
                Query.of().add("limit", "500"),
                MediaTypes.JSON);
    boolean found = false;
    for (JsonNode item : list.path("items")) {
      String name = item.path("metadata").path("name").asText();
      if (name.startsWith(prefix)) {
        found = true;
        describe(
            s,
            resource,
            s.client().get(resource.objectPath(namespace, name), Query.of(), MediaTypes.JSON));
        s.out().print("\n");
      }
    }
    if (!found) {
      throw notFound;
    }
    return 0;
  }

  /**
   * The pod's events, as kubectl's describe searches them: by the involved object's kind, name,
   * namespace and uid, at most 500. As kubectl, an error here leaves the events out (none shown),
   * not the description.
   */
  private static JsonNode events(Session s, JsonNode pod) throws IOException {
    JsonNode meta = pod.path("metadata");
    String namespace = meta.path("namespace").asText();
    String selector =
        "involvedObject.kind=Pod,involvedObject.name="
            + meta.path("name").asText()
            + ",involvedObject.namespace="
            + namespace
            + ",involvedObject.uid="
            + meta.path("uid").asText();
    try {
      return s.client()
          .get(
              "/api/v1/namespaces/" + namespace + "/events",
              Query.of().add("fieldSelector", selector).add("limit", "500"),
              MediaTypes.JSON);
    } catch (StatusException e) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
  }

  private static void describe(Session s, ResourceType resource, JsonNode object)
      throws IOException {
    DescribeWriter w = new DescribeWriter();
    if (resource == ResourceType.PODS) {
      PodDescriber.describe(object, events(s, object), w);
    } else {
      describeNode(s, object.path("metadata").path("name").asText(), object, w);
    }
    w.printTo(s.out());
  }

  private static void describeNode(Session s, String name, JsonNode node, DescribeWriter w)
      throws IOException {
    JsonNode pods =
        s.client()
            .get(
                "/api/v1/pods",
                Query.of()
                    .add(
                        "fieldSelector",
                        "spec.nodeName=" + name + ",status.phase!=Succeeded,status.phase!=Failed")
                    .add("limit", "500"),
                MediaTypes.JSON);
    JsonNode lease = null;
    String leaseError = null;
    try {
      lease =
          s.client()
              .get(
                  "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/"
                      + Query.escapePath(name),
                  Query.of(),
                  MediaTypes.JSON);
    } catch (StatusException e) {
      leaseError = e.getMessage();
    }
    NodeDescriber.describe(node, lease, leaseError, pods, Instant.now(), w);
  }
}
