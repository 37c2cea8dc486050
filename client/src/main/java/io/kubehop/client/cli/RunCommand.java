package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubehop run NAME --image=IMG}: creates a pod with the body that {@code kubectl run} sends
 * (docs/wire-captures.md §4.3).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Create and run a particular image in a pod.",
    customSynopsis =
        "  kubehop run NAME --image=image [--env=\"key=value\"] [--restart=Never] [--command] -- [COMMAND] [args...] [options]",
    footer = {
      "  # Start a busybox pod and keep it in the foreground, don't restart it if it exits",
      "  kubehop run demo --image=busybox --restart=Never -- sleep 3600",
      "",
      "  # Start a busybox pod with a command of its own",
      "  kubehop run demo --image=busybox --command -- sh -c 'echo hi'"
    })
final class RunCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Parameters(
      index = "1..*",
      paramLabel = "ARG",
      description = "After --: the container's args (or command).")
  List<String> arguments = new ArrayList<>();

  @Option(
      names = "--image",
      required = true,
      paramLabel = "IMAGE",
      description = "The container image.")
  String image;

  @Option(
      names = "--restart",
      paramLabel = "POLICY",
      defaultValue = "Always",
      description = "Always, OnFailure or Never.")
  String restart;

  @Option(
      names = "--env",
      paramLabel = "K=V",
      description = "Environment variables for the container.")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-l", "--labels"},
      paramLabel = "k=v,…",
      description = "Labels (default run=NAME).")
  String labels;

  @Option(names = "--port", paramLabel = "PORT", description = "The port the container exposes.")
  Integer port;

  @Option(
      names = "--command",
      description = "Use the extra arguments as the command instead of args.")
  boolean command;

  @Override
  int run(Session s) throws Exception {
    if (!List.of("Always", "OnFailure", "Never").contains(restart)) {
      throw new CommandException("invalid restart policy: " + restart);
    }
    // kubectl's encoder (runtime.Encode) ends the JSON body with a newline
    byte[] body =
        (ApiJson.mapper().writeValueAsString(pod()) + "\n").getBytes(StandardCharsets.UTF_8);
    s.client()
        .send(
            "POST",
            ResourceType.PODS.collectionPath(s.namespace()),
            Query.of().add("fieldManager", "kubectl-run"),
            MediaTypes.JSON,
            body);
    s.out().println("pod/" + name + " created");
    return 0;
  }

  /** The Pod, with keys in the order of Go's struct fields, as kubectl marshals it. */
  JsonNode pod() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode pod = f.objectNode().put("kind", "Pod").put("apiVersion", "v1");
    ObjectNode metadata = pod.putObject("metadata").put("name", name);
    metadata.putNull("creationTimestamp");
    ObjectNode labelNode = metadata.putObject("labels");
    parseLabels().forEach(labelNode::put);
    ObjectNode spec = pod.putObject("spec");
    ObjectNode container =
        spec.putArray("containers").addObject().put("name", name).put("image", image);
    if (!arguments.isEmpty()) {
      ArrayNode list = container.putArray(command ? "command" : "args");
      arguments.forEach(list::add);
    }
    if (port != null) {
      container.putArray("ports").addObject().put("containerPort", port);
    }
    if (!env.isEmpty()) {
      ArrayNode list = container.putArray("env");
      for (String e : env) {
        int eq = e.indexOf('=');
        if (eq <= 0) {
          throw new CommandException("invalid env: " + e);
        }
        list.addObject().put("name", e.substring(0, eq)).put("value", e.substring(eq + 1));
      }
    }
    container.putObject("resources");
    spec.put("restartPolicy", restart).put("dnsPolicy", "ClusterFirst");
    pod.putObject("status");
    return pod;
  }

  /** Go marshals a map with sorted keys. */
  private Map<String, String> parseLabels() {
    Map<String, String> result = new TreeMap<>();
    if (labels == null || labels.isEmpty()) {
      result.put("run", name);
      return result;
    }
    for (String pair : labels.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new CommandException("invalid label spec: " + pair);
      }
      result.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return result;
  }
}
