package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusException;
import io.kubehop.client.apply.LastApplied;
import io.kubehop.client.apply.ManifestReader;
import io.kubehop.client.apply.StrategicMergePatch;
import io.kubehop.client.printers.GoJson;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.ResourceType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kubehop apply -f FILE}: kubectl's client-side apply for pods and namespaces. Absent
 * objects are created with the last-applied annotation; present ones are patched (strategic merge)
 * from last-applied, new and live; an empty patch prints {@code unchanged}.
 */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = "Apply a configuration to a resource by file name or stdin.",
    customSynopsis = "  kubehop apply (-f FILENAME) [options]",
    footer = {
      "  # Apply the configuration in pod.yaml to a pod",
      "  kubehop apply -f ./pod.yaml",
      "",
      "  # Apply the YAML passed into stdin to a pod",
      "  cat pod.yaml | kubehop apply -f -"
    })
final class ApplyCommand extends ApiCommand {

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE",
      description = "YAML or JSON manifest(s); - reads stdin.")
  List<String> files = new ArrayList<>();

  @Override
  int run(Session s) throws Exception {
    List<JsonNode> objects = new ArrayList<>();
    for (String file : files) {
      objects.addAll(ManifestReader.read(read(s, file), file));
    }
    if (objects.isEmpty()) {
      throw new CommandException("no objects passed to apply");
    }
    int rc = 0;
    for (JsonNode object : objects) {
      try {
        s.out().println(apply(s, (ObjectNode) object.deepCopy()));
      } catch (StatusException e) {
        s.err().println(ExitCodes.message(e));
        rc = 1;
      }
    }
    return rc;
  }

  private static byte[] read(Session s, String file) throws IOException {
    if (file.equals("-")) {
      return s.io().in().readAllBytes();
    }
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new CommandException("the path \"" + file + "\" does not exist");
    }
  }

  /** Applies one object and returns kubectl's line for it, e.g. {@code pod/web configured}. */
  private String apply(Session s, ObjectNode object) throws IOException {
    String kind = object.path("kind").asText();
    ResourceType resource =
        ResourceType.forKind(kind)
            .filter(r -> "v1".equals(object.path("apiVersion").asText()))
            .orElseThrow(
                () ->
                    new CommandException(
                        "kubehop apply supports v1 Pod and Namespace, not "
                            + object.path("apiVersion").asText()
                            + " "
                            + kind));
    String name = object.path("metadata").path("name").asText("");
    if (name.isEmpty()) {
      throw new CommandException(
          "error when retrieving current configuration: resource name may not be empty");
    }
    String namespace = null;
    if (resource.namespaced()) {
      namespace = namespaceOf(s, object);
      object.withObject("/metadata").put("namespace", namespace);
    }
    ObjectNode modified = LastApplied.annotate(object);
    Query query =
        Query.of()
            .add("fieldManager", "kubectl-client-side-apply")
            .add("fieldValidation", "Strict");
    String id = resource.singular() + "/" + name;
    JsonNode live;
    try {
      live = s.client().get(resource.objectPath(namespace, name), Query.of(), MediaTypes.JSON);
    } catch (StatusException e) {
      if (e.code() != 404) {
        throw e;
      }
      // runtime.Encode, as kubectl's Create uses, ends the JSON with a newline
      s.client()
          .send(
              "POST",
              resource.collectionPath(namespace),
              query,
              MediaTypes.JSON,
              (GoJson.compact(modified) + "\n").getBytes(StandardCharsets.UTF_8));
      return id + " created";
    }
    String original = LastApplied.from(live);
    if (original == null) {
      s.err()
          .println(
              "Warning: resource "
                  + resource.plural()
                  + "/"
                  + name
                  + " is missing the "
                  + LastApplied.ANNOTATION
                  + " annotation which is required by kubectl apply. kubectl apply should only be "
                  + "used on resources created declaratively by either kubectl create --save-config or kubectl apply. "
                  + "The missing annotation will be patched automatically.");
    }
    ObjectNode patch =
        StrategicMergePatch.threeWay(
            original == null ? null : ApiJson.mapper().readTree(original), modified, live);
    if (patch.isEmpty()) {
      return id + " unchanged";
    }
    s.client()
        .send(
            "PATCH",
            resource.objectPath(namespace, name),
            query,
            MediaTypes.STRATEGIC_MERGE_PATCH,
            bytes(patch));
    return id + " configured";
  }

  /**
   * The manifest's namespace, else the context's; a different {@code -n} is an error, as in
   * kubectl.
   */
  private static String namespaceOf(Session s, JsonNode object) {
    String inFile = object.path("metadata").path("namespace").asText("");
    if (inFile.isEmpty()) {
      return s.namespace();
    }
    if (s.namespaceFlag() && !inFile.equals(s.namespace())) {
      throw new CommandException(
          "the namespace from the provided object \""
              + inFile
              + "\" does not match the "
              + "namespace \""
              + s.namespace()
              + "\". You must pass '--namespace="
              + inFile
              + "' to perform this operation.");
    }
    return inFile;
  }

  private static byte[] bytes(JsonNode node) {
    return GoJson.compact(node).getBytes(StandardCharsets.UTF_8);
  }
}
