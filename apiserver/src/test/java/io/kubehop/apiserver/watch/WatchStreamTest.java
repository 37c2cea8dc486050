package io.kubehop.apiserver.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A watcher that does not read is dropped once its bounded queue overflows; a reading one gets
 * every event.
 */
class WatchStreamTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private static ObjectNode big() {
    ObjectNode o = ApiJson.mapper().createObjectNode();
    o.putObject("metadata")
        .put("name", "x")
        .putObject("annotations")
        .put("pad", "p".repeat(64 * 1024));
    return o;
  }

  private HttpServer serve(CompletableFuture<WatchStream> stream, int maxPending) {
    return vertx
        .createHttpServer()
        .requestHandler(
            req -> {
              WatchStream s =
                  new WatchStream(
                      vertx.getOrCreateContext(), req.response(), o -> o, "test", maxPending);
              s.start();
              stream.complete(s);
            })
        .listen(0, "127.0.0.1")
        .await();
  }

  @Test
  void slowWatcherIsDroppedInsteadOfBufferedWithoutBound() throws Exception {
    CompletableFuture<WatchStream> stream = new CompletableFuture<>();
    HttpServer server = serve(stream, 10);
    try (Socket client = new Socket("127.0.0.1", server.actualPort())) {
      client.setReceiveBufferSize(4096);
      OutputStream out = client.getOutputStream();
      out.write("GET /watch HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      WatchStream s = stream.get(10, TimeUnit.SECONDS);
      ObjectNode event = big();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
      int sent = 0;
      while (!s.isClosed()) {
        assertTrue(
            Instant.now().isBefore(deadline),
            "the slow watcher was never dropped (" + sent + " sent)");
        s.send("MODIFIED", event);
        sent++;
        if (sent % 50 == 0) {
          Thread.sleep(5); // let the event loop run, as real store events would
        }
      }
      assertTrue(sent < 5000, "dropped after a bounded amount: " + sent);
    } finally {
      server.close().await();
    }
  }

  @Test
  void readingWatcherGetsEveryEventAsALine() throws Exception {
    CompletableFuture<WatchStream> stream = new CompletableFuture<>();
    HttpServer server = serve(stream, 10);
    try (Socket client = new Socket("127.0.0.1", server.actualPort())) {
      client
          .getOutputStream()
          .write("GET /watch HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      WatchStream s = stream.get(10, TimeUnit.SECONDS);
      ObjectNode small = ApiJson.mapper().createObjectNode();
      small.putObject("metadata").put("name", "x");
      for (int i = 0; i < 200; i++) {
        s.send("ADDED", small);
      }
      s.end();
      BufferedReader r =
          new BufferedReader(
              new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
      int events = 0;
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("{\"type\":\"ADDED\"")) {
          assertEquals("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"x\"}}}", line);
          events++;
        }
        if (line.equals("0")) {
          break; // the terminating chunk
        }
      }
      assertEquals(200, events);
    } finally {
      server.close().await();
    }
  }
}
