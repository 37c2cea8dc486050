package io.kubehop.apiserver.registry;

import java.util.List;

/**
 * A core/v1 resource as discovery announces it: plural name, kind, scope, verbs and subresources.
 *
 * @param subresources subresource name → the kind it answers with (e.g. {@code exec →
 *     PodExecOptions})
 */
public record ResourceType(
    String resource,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    List<String> verbs,
    List<Subresource> subresources) {

  /** A subresource with its response kind and verbs. */
  public record Subresource(String name, String kind, List<String> verbs) {}

  public static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  public static final ResourceType PODS =
      new ResourceType(
          "pods",
          "pod",
          "Pod",
          true,
          List.of("po"),
          List.of("all"),
          ALL_VERBS,
          List.of(
              new Subresource("attach", "PodAttachOptions", List.of("create", "get")),
              new Subresource("binding", "Binding", List.of("create")),
              new Subresource("exec", "PodExecOptions", List.of("create", "get")),
              new Subresource("log", "Pod", List.of("get")),
              new Subresource("portforward", "PodPortForwardOptions", List.of("create", "get")),
              new Subresource("status", "Pod", List.of("get", "patch", "update"))));

  public static final ResourceType NODES =
      new ResourceType(
          "nodes",
          "node",
          "Node",
          false,
          List.of("no"),
          List.of(),
          ALL_VERBS,
          List.of(new Subresource("status", "Node", List.of("get", "patch", "update"))));

  public static final ResourceType NAMESPACES =
      new ResourceType(
          "namespaces",
          "namespace",
          "Namespace",
          false,
          List.of("ns"),
          List.of(),
          List.of("create", "delete", "get", "list", "patch", "update", "watch"),
          List.of(new Subresource("status", "Namespace", List.of("get", "patch", "update"))));

  public static final ResourceType CONFIGMAPS =
      new ResourceType(
          "configmaps",
          "configmap",
          "ConfigMap",
          true,
          List.of("cm"),
          List.of(),
          ALL_VERBS,
          List.of());

  public static final ResourceType SECRETS =
      new ResourceType(
          "secrets", "secret", "Secret", true, List.of(), List.of(), ALL_VERBS, List.of());

  public static final ResourceType EVENTS =
      new ResourceType(
          "events", "event", "Event", true, List.of("ev"), List.of(), ALL_VERBS, List.of());

  public static final List<ResourceType> ALL =
      List.of(PODS, NODES, NAMESPACES, CONFIGMAPS, SECRETS, EVENTS);

  public static ResourceType byResource(String resource) {
    for (ResourceType t : ALL) {
      if (t.resource.equals(resource)) {
        return t;
      }
    }
    return null;
  }

  public String listKind() {
    return kind + "List";
  }
}
