package io.kubehop.client.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kubeconfig as client-go's {@code clientcmdapi.Config} holds it: named clusters, users and
 * contexts, and the current-context. Each named entry remembers the directory of the file it came
 * from ({@code LocationOfOrigin}), against which its relative paths resolve.
 *
 * @param currentContext the current-context, empty when unset
 * @param clusters cluster entries by name
 * @param users user entries ({@code AuthInfos}) by name
 * @param contexts context entries by name
 */
public record KubeconfigFile(
    String currentContext,
    Map<String, Entry> clusters,
    Map<String, Entry> users,
    Map<String, Entry> contexts) {

  /** One named cluster, user or context: its body and the directory of its file. */
  public record Entry(JsonNode value, Path origin) {

    /** A string field, empty when unset. */
    String text(String field) {
      return value.path(field).asText("");
    }

    /**
     * A path field resolved as client-go's {@code ResolveLocalPaths} does: relative to the
     * directory of the file that defined this entry; empty when unset.
     */
    String path(String field) {
      String file = text(field);
      return file.isEmpty() ? "" : origin.resolve(file).toString();
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static final KubeconfigFile EMPTY = new KubeconfigFile("", Map.of(), Map.of(), Map.of());

  /** Reads one file (client-go's {@code LoadFromFile}); an empty file is an empty config. */
  public static KubeconfigFile read(Path path) throws IOException, KubeconfigException {
    byte[] bytes = Files.readAllBytes(path);
    JsonNode root;
    try {
      root = YAML.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new KubeconfigException(
          "error loading config file \"" + path + "\": " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return EMPTY;
    }
    if (!root.isObject()) {
      throw new KubeconfigException(
          "error loading config file \"" + path + "\": not a kubeconfig (a YAML map)");
    }
    Path origin = path.toAbsolutePath().getParent();
    return new KubeconfigFile(
        root.path("current-context").asText(""),
        named(root, "clusters", "cluster", origin),
        named(root, "users", "user", origin),
        named(root, "contexts", "context", origin));
  }

  private static Map<String, Entry> named(JsonNode root, String list, String field, Path origin) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (JsonNode entry : root.path(list)) {
      entries.put(entry.path("name").asText(""), new Entry(entry.path(field), origin));
    }
    return entries;
  }

  /**
   * Merges files as client-go's {@code ClientConfigLoadingRules.Load} does: the first file to
   * define a cluster, user or context name wins, and its whole entry is kept (a later file's entry
   * of the same name is discarded, even its fields the first one lacks); the current-context is the
   * first non-empty one.
   */
  public static KubeconfigFile merge(List<KubeconfigFile> files) {
    String current = "";
    Map<String, Entry> clusters = new LinkedHashMap<>();
    Map<String, Entry> users = new LinkedHashMap<>();
    Map<String, Entry> contexts = new LinkedHashMap<>();
    for (KubeconfigFile file : files) {
      if (current.isEmpty()) {
        current = file.currentContext();
      }
      file.clusters().forEach(clusters::putIfAbsent);
      file.users().forEach(users::putIfAbsent);
      file.contexts().forEach(contexts::putIfAbsent);
    }
    return new KubeconfigFile(current, clusters, users, contexts);
  }
}
