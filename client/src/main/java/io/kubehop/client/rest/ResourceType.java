package io.kubehop.client.rest;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The core/v1 resources kubehop serves, with kubectl's names and short names. */
public enum ResourceType {
  PODS("pods", "pod", "Pod", true, List.of("po")),
  NODES("nodes", "node", "Node", false, List.of("no")),
  NAMESPACES("namespaces", "namespace", "Namespace", false, List.of("ns"));

  private final String plural;
  private final String singular;
  private final String kind;
  private final boolean namespaced;
  private final List<String> shortNames;

  ResourceType(
      String plural, String singular, String kind, boolean namespaced, List<String> shortNames) {
    this.plural = plural;
    this.singular = singular;
    this.kind = kind;
    this.namespaced = namespaced;
    this.shortNames = shortNames;
  }

  /** {@code pods}, {@code pod}, {@code po}, or the kind ({@code Pod}), case-insensitively. */
  public static Optional<ResourceType> lookup(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (ResourceType t : values()) {
      if (t.plural.equals(n) || t.singular.equals(n) || t.shortNames.contains(n)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  public static Optional<ResourceType> forKind(String kind) {
    for (ResourceType t : values()) {
      if (t.kind.equals(kind)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  public String plural() {
    return plural;
  }

  /** The lower-case singular used in {@code pod/NAME} and {@code pod "NAME" deleted}. */
  public String singular() {
    return singular;
  }

  public String kind() {
    return kind;
  }

  public boolean namespaced() {
    return namespaced;
  }

  /** The collection path; {@code namespace} null lists across namespaces. */
  public String collectionPath(String namespace) {
    return namespaced && namespace != null
        ? "/api/v1/namespaces/" + Query.escapePath(namespace) + "/" + plural
        : "/api/v1/" + plural;
  }

  public String objectPath(String namespace, String name) {
    return collectionPath(namespace) + "/" + Query.escapePath(name);
  }
}
