package io.kubehop.apiserver.storage;

/**
 * Where an object lives in the store: its resource (plural, e.g. {@code pods}), its namespace
 * ({@code ""} for cluster-scoped objects) and its name. Rendered as {@code pods/default/demo}, like
 * etcd's registry keys.
 */
public record StoreKey(String resource, String namespace, String name) {

  public StoreKey {
    namespace = namespace == null ? "" : namespace;
  }

  public static StoreKey parse(String text) {
    String[] parts = text.split("/", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("bad store key " + text);
    }
    return new StoreKey(parts[0], parts[1], parts[2]);
  }

  @Override
  public String toString() {
    return resource + "/" + namespace + "/" + name;
  }
}
