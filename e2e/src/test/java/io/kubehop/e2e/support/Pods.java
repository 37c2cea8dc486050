package io.kubehop.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads pods and nodes straight from the apiserver, for assertions that must not depend on a
 * printer.
 */
public final class Pods {

  private final KubehopCluster cluster;

  public Pods(KubehopCluster cluster) {
    this.cluster = cluster;
  }

  public Optional<JsonNode> pod(String name) {
    return object("/api/v1/namespaces/default/pods/" + name);
  }

  /** Waits (60 s at most) until pod {@code name} in default is Running. */
  public void awaitRunning(String name) {
    Await.until(
        name + " Running",
        Duration.ofSeconds(60),
        () ->
            pod(name)
                .map(p -> "Running".equals(p.path("status").path("phase").asText()))
                .orElse(false));
  }

  /**
   * {@code kubectl run NAME --image=busybox --restart=Never -- COMMAND…} (kubectl 1.33), once it
   * runs.
   */
  public void runBusybox(String name, String... command) {
    List<String> args =
        new ArrayList<>(List.of("run", name, "--image=busybox", "--restart=Never", "--"));
    args.addAll(List.of(command));
    ProcessResult run = cluster.kubectl("1.33").run(args.toArray(String[]::new));
    if (run.exitCode() != 0) {
      throw new AssertionError("kubectl run " + name + ": " + run);
    }
    awaitRunning(name);
  }

  /**
   * The pod {@code web}: one nginx container serving the welcome page on port 80 ({@code http}),
   * applied with kubectl 1.33, once it runs.
   */
  public void startWeb() {
    Path manifest = cluster.home().resolve("web.yaml");
    try {
      Files.writeString(
          manifest,
          """
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            containers:
            - name: nginx
              image: nginx
              ports:
              - containerPort: 80
                name: http
          """);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ProcessResult apply = cluster.kubectl("1.33").run("apply", "-f", manifest.toString());
    if (apply.exitCode() != 0) {
      throw new AssertionError("kubectl apply web: " + apply);
    }
    awaitRunning("web");
  }

  public Optional<JsonNode> node(String name) {
    return object("/api/v1/nodes/" + name);
  }

  public Optional<JsonNode> object(String path) {
    HttpResponse<String> response = cluster.get(path);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET " + path + " -> " + response.statusCode() + ": " + response.body());
    }
    return Optional.of(tree(response.body()));
  }

  public static JsonNode tree(String json) {
    try {
      return ApiJson.tree(json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value of the node's Ready condition ("True", "False", "Unknown"), or null. */
  public String nodeReady(String name) {
    return node(name)
        .map(
            n -> {
              for (JsonNode c : n.path("status").path("conditions")) {
                if ("Ready".equals(c.path("type").asText())) {
                  return c.path("status").asText();
                }
              }
              return null;
            })
        .orElse(null);
  }

  /** {@code .status.containerStatuses[0]} of a pod, or a missing node. */
  public JsonNode firstContainerStatus(String pod) {
    return pod(pod).map(p -> p.path("status").path("containerStatuses").path(0)).orElseThrow();
  }
}
