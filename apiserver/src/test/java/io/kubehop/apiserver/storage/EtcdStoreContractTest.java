package io.kubehop.apiserver.storage;

import io.kubehop.testkit.EtcdProcess;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on etcd: one etcd for the class, each store under a prefix of its own, so
 * every test starts from an empty store.
 */
class EtcdStoreContractTest extends StoreContractTest {

  @TempDir static Path dataDir;
  static EtcdProcess etcd;
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdProcess.start(dataDir.resolve("etcd"));
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.stop();
    }
  }

  @Override
  Store open(Vertx vertx, int historySize) {
    return EtcdStore.open(
            vertx,
            List.of(etcd.clientUrl()),
            "/contract-" + PREFIXES.incrementAndGet() + "/registry",
            historySize)
        .await();
  }
}
