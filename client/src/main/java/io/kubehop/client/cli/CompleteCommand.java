package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.client.rest.JdkHttpTransport;
import io.kubehop.client.rest.Kubeconfig;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.ResourceType;
import io.kubehop.client.rest.RestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/**
 * The hidden {@code kubehop __complete WORDS…} the completion script calls (cobra's {@code
 * __complete}): given the words after {@code kubehop} up to the one being completed, prints the
 * pod, node or container names that fit there, one a line. Anything that fails (no kubeconfig, a
 * stopped cluster) prints nothing and exits 0, so completion stays quiet.
 */
@Command(name = "__complete", hidden = true)
final class CompleteCommand implements Callable<Integer> {

  /** Commands whose first positional argument is a pod. */
  static final Set<String> POD_FIRST = Set.of("logs", "exec", "attach", "port-forward");

  /** Commands whose first positional argument is a resource type, the rest names. */
  static final Set<String> TYPE_FIRST = Set.of("get", "describe", "delete");

  /** Options that take the next word as their value. */
  static final Set<String> WITH_VALUE =
      Set.of(
          "-n",
          "--namespace",
          "--context",
          "--kubeconfig",
          "-c",
          "--container",
          "-o",
          "--output",
          "-l",
          "--selector",
          "--request-timeout",
          "--tail",
          "--since",
          "--limit-bytes",
          "--transport",
          "--max-log-requests",
          "--address",
          "-v",
          "--v");

  /** Never typed: so that {@code --} reaches the words instead of ending picocli's options. */
  static final String NO_END_OF_OPTIONS = "--\u0000";

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @ParentCommand KubehopCommand root;

  /** Every word as typed: options of the completed command are not ours to parse. */
  @Unmatched List<String> words = new ArrayList<>();

  @Override
  public Integer call() {
    try {
      for (String name : candidates()) {
        root.context().out().println(name);
      }
    } catch (Exception quiet) {
      // completion must never print errors into the user's command line
    }
    root.context().out().flush();
    return 0;
  }

  private List<String> candidates() throws Exception {
    if (words.isEmpty()) {
      return List.of();
    }
    String current = words.get(words.size() - 1);
    List<String> before = words.subList(0, words.size() - 1);
    Map<String, String> options = new java.util.HashMap<>();
    List<String> positionals = new ArrayList<>();
    for (int i = 0; i < before.size(); i++) {
      String w = before.get(i);
      if (w.equals("--")) {
        return List.of(); // the remote command: nothing of ours
      }
      if (w.startsWith("-")) {
        if (w.contains("=")) {
          options.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
        } else if (WITH_VALUE.contains(w) && i + 1 < before.size()) {
          options.put(w, before.get(++i));
        }
      } else {
        positionals.add(w);
      }
    }
    if (positionals.isEmpty()) {
      return List.of(); // the subcommand itself: picocli's script completes it
    }
    String command = positionals.get(0);
    List<String> args = positionals.subList(1, positionals.size());
    String previous = before.isEmpty() ? "" : before.get(before.size() - 1);
    boolean containerValue = previous.equals("-c") || previous.equals("--container");
    if (containerValue && POD_FIRST.contains(command) && !args.isEmpty()) {
      return containers(options, podName(args.get(0)));
    }
    if (POD_FIRST.contains(command) && args.isEmpty()) {
      return names(options, ResourceType.PODS);
    }
    if (command.equals("logs") && args.size() == 1) {
      return containers(options, podName(args.get(0)));
    }
    if (TYPE_FIRST.contains(command) && !args.isEmpty() && !current.contains("/")) {
      ResourceType type = ResourceType.lookup(args.get(0)).orElse(null);
      if (type == ResourceType.PODS || type == ResourceType.NODES) {
        return names(options, type);
      }
    }
    return List.of();
  }

  private static String podName(String arg) {
    return arg.startsWith("pod/")
        ? arg.substring(4)
        : arg.startsWith("pods/") ? arg.substring(5) : arg;
  }

  private List<String> names(Map<String, String> options, ResourceType type) throws Exception {
    try (Cluster c = connect(options)) {
      JsonNode list =
          c.client()
              .get(
                  type.collectionPath(type.namespaced() ? c.namespace() : null),
                  Query.of().add("limit", "500"),
                  MediaTypes.JSON);
      List<String> names = new ArrayList<>();
      list.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
      return names;
    }
  }

  private List<String> containers(Map<String, String> options, String pod) throws Exception {
    try (Cluster c = connect(options)) {
      JsonNode object =
          c.client()
              .get(ResourceType.PODS.objectPath(c.namespace(), pod), Query.of(), MediaTypes.JSON);
      List<String> names = new ArrayList<>();
      for (String kind : List.of("initContainers", "containers", "ephemeralContainers")) {
        object.path("spec").path(kind).forEach(x -> names.add(x.path("name").asText()));
      }
      return names;
    }
  }

  private record Cluster(RestClient client, String namespace) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }

  private Cluster connect(Map<String, String> options) throws Exception {
    String kubeconfig = options.getOrDefault("--kubeconfig", root.options().kubeconfig);
    String context = options.getOrDefault("--context", root.options().context);
    Kubeconfig config = root.context().kubeconfigs().load(kubeconfig, context);
    String namespace =
        options.getOrDefault("-n", options.getOrDefault("--namespace", config.namespace()));
    RestClient client =
        new RestClient(config.connection(), new JdkHttpTransport(config.connection()), TIMEOUT);
    return new Cluster(client, namespace);
  }
}
