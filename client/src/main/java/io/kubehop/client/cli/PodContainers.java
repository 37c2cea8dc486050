package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kubectl's container choice for a pod ({@code podcmd.FindOrDefaultContainerByName}): a named
 * container is taken as it is (exec and attach leave its check to the server, whose refusal kubectl
 * prints: {@code Error from server (BadRequest): container x is not valid for pod p}); without one,
 * the {@code kubectl.kubernetes.io/default-container} annotation if it names one, else the first
 * container, with the {@code Defaulted container "x" out of: x, y} notice on stderr when there was
 * a choice (several containers, or any init or ephemeral one) and not {@code --quiet}.
 */
final class PodContainers {

  static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

  private PodContainers() {
    throw new AssertionError("No instances.");
  }

  /** The chosen container's spec. */
  static JsonNode choose(JsonNode pod, String name, boolean quiet, PrintStream err) {
    String podName = pod.path("metadata").path("name").asText();
    if (name != null && !name.isEmpty()) {
      return find(pod, name)
          .orElseGet(() -> JsonNodeFactory.instance.objectNode().put("name", name));
    }
    JsonNode containers = pod.path("spec").path("containers");
    if (containers.isEmpty()) {
      throw new CommandException(
          "pod "
              + pod.path("metadata").path("namespace").asText()
              + "/"
              + podName
              + " does not have any containers");
    }
    String annotated =
        pod.path("metadata").path("annotations").path(DEFAULT_CONTAINER_ANNOTATION).asText("");
    if (!annotated.isEmpty()) {
      Optional<JsonNode> found = find(pod, annotated);
      if (found.isPresent()) {
        return found.get();
      }
    }
    JsonNode first = containers.get(0);
    JsonNode spec = pod.path("spec");
    if (!quiet
        && (containers.size() > 1
            || !spec.path("initContainers").isEmpty()
            || !spec.path("ephemeralContainers").isEmpty())) {
      err.println(
          "Defaulted container \""
              + first.path("name").asText()
              + "\" out of: "
              + String.join(", ", allNames(pod)));
    }
    return first;
  }

  /** kubectl's {@code AllContainerNames}: containers, then ephemeral, then init ones, marked. */
  static List<String> allNames(JsonNode pod) {
    JsonNode spec = pod.path("spec");
    List<String> all = new ArrayList<>();
    spec.path("containers").forEach(c -> all.add(c.path("name").asText()));
    spec.path("ephemeralContainers").forEach(c -> all.add(c.path("name").asText() + " (ephem)"));
    spec.path("initContainers").forEach(c -> all.add(c.path("name").asText() + " (init)"));
    return all;
  }

  private static Optional<JsonNode> find(JsonNode pod, String name) {
    JsonNode spec = pod.path("spec");
    for (String field : List.of("containers", "initContainers", "ephemeralContainers")) {
      for (JsonNode c : spec.path(field)) {
        if (name.equals(c.path("name").asText())) {
          return Optional.of(c);
        }
      }
    }
    return Optional.empty();
  }
}
