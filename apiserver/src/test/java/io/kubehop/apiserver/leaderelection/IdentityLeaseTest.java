package io.kubehop.apiserver.leaderelection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.apiserver.storage.FileStore;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.testkit.Await;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two apiservers' identity Leases in one store, and the directory every apiserver serves from them
 * at {@code /debug/apiservers}.
 */
class IdentityLeaseTest {

  @TempDir Path dir;
  Vertx vertx;
  Store store;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    store = FileStore.open(vertx, dir, 1000);
  }

  @AfterEach
  void close() {
    store.close().await();
    vertx.close().await();
  }

  private IdentityLease start(String id, String url) {
    IdentityLease lease = new IdentityLease(vertx, store, id, url, Clock.systemUTC());
    vertx.runOnContext(v -> lease.start());
    return lease;
  }

  private JsonNode directory() {
    return (new ApiServerDirectory(store, "apiserver-1", () -> "https://127.0.0.1:40001", true)
            .view())
        .await();
  }

  @Test
  void leaseNamesHaveUpstreamsShapeOnePerId() {
    assertTrue(IdentityLease.leaseName("apiserver-1").matches("apiserver-[0-9a-f]{26}"));
    assertEquals(IdentityLease.leaseName("apiserver-1"), IdentityLease.leaseName("apiserver-1"));
    assertNotEquals(IdentityLease.leaseName("apiserver-1"), IdentityLease.leaseName("apiserver-2"));
  }

  @Test
  void eachApiserverKeepsItsLeaseAndTheDirectoryListsThemAll() {
    IdentityLease one = start("apiserver-1", "https://127.0.0.1:40001");
    IdentityLease two = start("apiserver-2", "https://127.0.0.1:40002");
    Await.until("both Leases written", () -> directory().path("apiservers").size() == 2);

    ObjectNode lease = (store.get(two.key())).await();
    assertEquals("kube-system", lease.path("metadata").path("namespace").asText());
    assertEquals(
        "kube-apiserver",
        lease.path("metadata").path("labels").path("apiserver.kubernetes.io/identity").asText());
    assertEquals(
        "https://127.0.0.1:40002",
        lease.path("metadata").path("annotations").path("kubehop.io/apiserver-url").asText());
    assertEquals("apiserver-2", lease.path("spec").path("holderIdentity").asText());
    assertEquals(10, lease.path("spec").path("leaseDurationSeconds").asInt());

    JsonNode entry = directory().path("apiservers").path(1);
    assertEquals("apiserver-2", entry.path("id").asText());
    assertEquals("https://127.0.0.1:40002", entry.path("url").asText());
    assertEquals(two.key().name(), entry.path("lease").asText());
    assertEquals(lease.path("spec").path("renewTime").asText(), entry.path("renewTime").asText());
    assertEquals(10, entry.path("leaseDurationSeconds").asInt());

    String renewed = lease.path("spec").path("renewTime").asText();
    Await.until(
        "a renewal",
        Duration.ofSeconds(10),
        () ->
            !(store.get(two.key()))
                .await()
                .path("spec")
                .path("renewTime")
                .asText()
                .equals(renewed));

    (two.stop()).await();
    JsonNode left = directory().path("apiservers");
    assertEquals(1, left.size(), left.toString());
    assertEquals("apiserver-1", left.path(0).path("id").asText());
    one.stop().await();
  }

  @Test
  void withTheFileStoreTheDirectoryNamesThisApiserverAlone() {
    JsonNode view =
        (new ApiServerDirectory(store, "apiserver", () -> "https://127.0.0.1:6443", false).view())
            .await();
    assertEquals(
        "{\"apiservers\":[{\"id\":\"apiserver\",\"url\":\"https://127.0.0.1:6443\"}]}",
        ApiJson.write(view));
  }
}
