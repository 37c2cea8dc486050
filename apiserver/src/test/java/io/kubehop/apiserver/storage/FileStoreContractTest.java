package io.kubehop.apiserver.storage;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded file store. */
class FileStoreContractTest extends StoreContractTest {

  @TempDir Path dir;
  private int stores;

  @Override
  Store open(Vertx vertx, int historySize) throws Exception {
    return FileStore.open(vertx, dir.resolve("store-" + stores++), historySize);
  }
}
