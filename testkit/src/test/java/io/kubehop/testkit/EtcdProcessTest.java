package io.kubehop.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdProcessTest {

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private String health(URI client) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(client + "/health")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void startsHealthyRestartsOnTheSamePortAndStopsForGood() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start(dir.resolve("etcd"))) {
      URI client = etcd.clientUrl();
      assertTrue(health(client).contains("\"health\":\"true\""));
      etcd.restart();
      assertEquals(client, etcd.clientUrl());
      assertTrue(health(client).contains("\"health\":\"true\""));
      etcd.stop();
      assertFalse(etcd.running());
      assertThrows(IOException.class, () -> health(client), "nothing listens any more");
    }
  }
}
