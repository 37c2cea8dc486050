package io.kubehop.client.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.api.json.ApiJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /debug/apiservers} as the CLI reads it, and when a Lease counts as gone. */
class ApiServersTest {

  private static final String ANSWER =
      """
      {"apiservers": [
        {"id": "apiserver-1", "url": "https://127.0.0.1:40001", "lease": "apiserver-6f1c",
         "renewTime": "2026-12-05T06:30:01.123456Z", "leaseDurationSeconds": 10},
        {"id": "apiserver-2", "url": "https://127.0.0.1:40002", "lease": "apiserver-09ab",
         "renewTime": "2026-12-05T06:29:40.000000Z", "leaseDurationSeconds": 10}]}
      """;

  @Test
  void parsesTheEntriesInOrder() throws Exception {
    List<ApiServers.Entry> entries = ApiServers.parse(ApiJson.mapper().readTree(ANSWER));
    assertEquals(
        List.of(
            new ApiServers.Entry(
                "apiserver-1",
                "https://127.0.0.1:40001",
                "apiserver-6f1c",
                Instant.parse("2026-12-05T06:30:01.123456Z"),
                Duration.ofSeconds(10)),
            new ApiServers.Entry(
                "apiserver-2",
                "https://127.0.0.1:40002",
                "apiserver-09ab",
                Instant.parse("2026-12-05T06:29:40Z"),
                Duration.ofSeconds(10))),
        entries);
  }

  @Test
  void aLeaseRenewedWithinItsDurationHoldsAnOlderOneIsGone() throws Exception {
    List<ApiServers.Entry> entries = ApiServers.parse(ApiJson.mapper().readTree(ANSWER));
    Instant now = Instant.parse("2026-12-05T06:30:02Z");
    assertFalse(entries.get(0).gone(now));
    assertTrue(entries.get(1).gone(now));
    assertEquals(
        "apiserver apiserver-2: gone (its lease kube-system/apiserver-09ab expired 12s ago)",
        entries.get(1).goneMessage(now));
  }

  @Test
  void theFileStoresOneApiserverHasNoLeaseAndNeverExpires() throws Exception {
    List<ApiServers.Entry> entries =
        ApiServers.parse(
            ApiJson.mapper()
                .readTree(
                    "{\"apiservers\":[{\"id\":\"apiserver\",\"url\":\"https://127.0.0.1:6443\"}]}"));
    assertEquals(
        List.of(new ApiServers.Entry("apiserver", "https://127.0.0.1:6443", null, null, null)),
        entries);
    assertFalse(entries.get(0).gone(Instant.MAX));
  }
}
