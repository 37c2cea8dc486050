package io.kubehop.client.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * A parsed kubeconfig file (clusters, users, contexts, current-context), resolved to one context.
 * Paths inside the file (certificate-authority, tokenFile) are relative to the file, as in
 * client-go.
 *
 * @param path the file it was read from
 * @param contextName the selected context
 * @param connection the cluster and user of that context
 * @param namespace the context's namespace, {@code default} when unset
 */
public record Kubeconfig(
    Path path, String contextName, ClusterConnection connection, String namespace) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Reads {@code path} and resolves {@code context} (or current-context when null). */
  public static Kubeconfig load(Path path, String context) throws KubeconfigException {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readAllBytes(path));
    } catch (IOException e) {
      throw new KubeconfigException(
          "error loading config file \"" + path + "\": " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new KubeconfigException("invalid configuration: no configuration has been provided");
    }
    String contextName = context != null ? context : root.path("current-context").asText("");
    if (contextName.isEmpty()) {
      throw new KubeconfigException("invalid configuration: no configuration has been provided");
    }
    JsonNode ctx =
        named(root, "contexts", contextName, "context")
            .orElseThrow(
                () ->
                    new KubeconfigException(
                        "context was not found for specified context: " + contextName));
    String clusterName = ctx.path("cluster").asText("");
    JsonNode cluster =
        named(root, "clusters", clusterName, "cluster")
            .orElseThrow(() -> new KubeconfigException("cluster has no server defined"));
    JsonNode user =
        named(root, "users", ctx.path("user").asText(""), "user").orElse(YAML.createObjectNode());
    String server = cluster.path("server").asText("");
    if (server.isEmpty()) {
      throw new KubeconfigException("invalid configuration: cluster has no server defined");
    }
    Path dir = path.toAbsolutePath().getParent();
    TlsConfig tls =
        new TlsConfig(
            material(cluster, "certificate-authority-data", "certificate-authority", dir),
            cluster.path("insecure-skip-tls-verify").asBoolean(false),
            material(user, "client-certificate-data", "client-certificate", dir),
            material(user, "client-key-data", "client-key", dir));
    String namespace = ctx.path("namespace").asText("");
    try {
      return new Kubeconfig(
          path,
          contextName,
          new ClusterConnection(URI.create(server), tls, token(user, dir)),
          namespace.isEmpty() ? "default" : namespace);
    } catch (IllegalArgumentException e) {
      throw new KubeconfigException("invalid configuration: " + e.getMessage());
    }
  }

  private static Optional<JsonNode> named(JsonNode root, String list, String name, String field) {
    for (JsonNode entry : root.path(list)) {
      if (name.equals(entry.path("name").asText())) {
        return Optional.of(entry.path(field));
      }
    }
    return Optional.empty();
  }

  private static byte[] material(JsonNode node, String dataField, String fileField, Path dir)
      throws KubeconfigException {
    String data = node.path(dataField).asText("");
    if (!data.isEmpty()) {
      return Base64.getMimeDecoder().decode(data);
    }
    String file = node.path(fileField).asText("");
    return file.isEmpty() ? null : readFile(dir.resolve(file));
  }

  private static Optional<String> token(JsonNode user, Path dir) throws KubeconfigException {
    String token = user.path("token").asText("");
    if (token.isEmpty() && !user.path("tokenFile").asText("").isEmpty()) {
      token =
          new String(readFile(dir.resolve(user.path("tokenFile").asText())), StandardCharsets.UTF_8)
              .trim();
    }
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  private static byte[] readFile(Path file) throws KubeconfigException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new KubeconfigException("unable to read " + file + ": " + e.getMessage());
    }
  }
}
