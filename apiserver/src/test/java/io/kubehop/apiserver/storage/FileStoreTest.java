package io.kubehop.apiserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the file store does: persistence across a restart and recovery from a torn log. The
 * store contract, watch and 410 included, is {@link FileStoreContractTest}'s.
 */
class FileStoreTest {

  @TempDir Path dir;
  Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private static ObjectNode pod(String name) {
    ObjectNode o = ApiJson.mapper().createObjectNode();
    o.put("kind", "Pod").putObject("metadata").put("name", name).put("namespace", "default");
    o.putObject("spec").put("custom", "kept");
    return o;
  }

  private static StoreKey key(String name) {
    return new StoreKey("pods", "default", name);
  }

  @Test
  void writesStampOneGlobalCounterAndSurviveRestart() throws Exception {
    FileStore store = FileStore.open(vertx, dir, 100);
    assertEquals(
        "1",
        store.create(key("a"), pod("a")).await().path("metadata").path("resourceVersion").asText());
    assertEquals(
        "2",
        store.create(key("b"), pod("b")).await().path("metadata").path("resourceVersion").asText());
    store
        .update(
            key("a"),
            o -> {
              o.withObjectProperty("metadata").putObject("labels").put("x", "y");
              return o;
            })
        .await();
    store.delete(key("b"), o -> {}).await();
    store.close().await();

    FileStore reopened = FileStore.open(vertx, dir, 100);
    assertEquals(4, reopened.currentResourceVersion());
    ObjectNode a = reopened.get(key("a")).await();
    assertEquals("3", a.path("metadata").path("resourceVersion").asText());
    assertEquals("y", a.path("metadata").path("labels").path("x").asText());
    assertEquals(
        "kept", a.path("spec").path("custom").asText(), "fields the store does not model are kept");
    assertInstanceOf(StoreException.NotFound.class, reopened.get(key("b")).cause());
    assertEquals(1, reopened.list("pods", "default").await().items().size());
    assertEquals(
        "5",
        reopened
            .create(key("c"), pod("c"))
            .await()
            .path("metadata")
            .path("resourceVersion")
            .asText());
  }

  @Test
  void tornLastLineIsDroppedAndTruncated() throws Exception {
    FileStore store = FileStore.open(vertx, dir, 100);
    store.create(key("a"), pod("a")).await();
    store.close().await();
    Path log = dir.resolve("objects.jsonl");
    long goodSize = Files.size(log);
    Files.writeString(
        log,
        "{\"rv\":2,\"op\":\"put\",\"key\":\"pods/default/b\",\"obj",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    FileStore reopened = FileStore.open(vertx, dir, 100);
    assertEquals(1, reopened.currentResourceVersion());
    assertEquals(
        List.of("a"),
        reopened.list("pods", null).await().items().stream()
            .map(o -> o.path("metadata").path("name").asText())
            .toList());
    assertEquals(goodSize, Files.size(log), "the torn tail is cut off");
    assertEquals(
        "2",
        reopened
            .create(key("b"), pod("b"))
            .await()
            .path("metadata")
            .path("resourceVersion")
            .asText());
    reopened.close().await();
    assertEquals(2, FileStore.open(vertx, dir, 100).list("pods", null).await().items().size());
  }
}
