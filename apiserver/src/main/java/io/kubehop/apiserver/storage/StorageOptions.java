package io.kubehop.apiserver.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Which {@link Store} the apiserver opens ({@code --storage-backend}), and for etcd where ({@code
 * --etcd-servers}, {@code --etcd-prefix}).
 */
public record StorageOptions(Backend backend, List<URI> etcdServers, String etcdPrefix) {

  public static final String DEFAULT_ETCD_SERVER = "http://127.0.0.1:2379";
  public static final String DEFAULT_ETCD_PREFIX = "/registry";

  /** The embedded file store under the apiserver's home: the default. */
  public static final StorageOptions FILE =
      new StorageOptions(
          Backend.FILE, List.of(URI.create(DEFAULT_ETCD_SERVER)), DEFAULT_ETCD_PREFIX);

  public StorageOptions {
    etcdServers = List.copyOf(etcdServers);
    if (backend == Backend.ETCD && etcdServers.isEmpty()) {
      throw new IllegalArgumentException("--storage-backend etcd needs --etcd-servers");
    }
  }

  /** An etcd store at {@code servers}, keys under {@code prefix}. */
  public static StorageOptions etcd(List<URI> servers, String prefix) {
    return new StorageOptions(Backend.ETCD, servers, prefix);
  }

  /** {@code --etcd-servers}: {@code http://host:port[,http://host:port…]}. */
  public static List<URI> parseServers(String value) {
    return List.of(value.split(",")).stream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(URI::create)
        .toList();
  }

  /** Opens the store; {@code dir} is the file store's directory, unused by etcd. */
  public Future<Store> open(Vertx vertx, Path dir, int historySize) {
    return switch (backend) {
      case FILE -> vertx.executeBlocking(() -> FileStore.open(vertx, dir, historySize));
      case ETCD -> EtcdStore.open(vertx, etcdServers, etcdPrefix, historySize).map(s -> s);
    };
  }

  /** The storage backends. */
  public enum Backend {
    FILE,
    ETCD;

    public static Backend parse(String value) {
      try {
        return valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown storage backend " + value + " (file or etcd)", e);
      }
    }
  }
}
