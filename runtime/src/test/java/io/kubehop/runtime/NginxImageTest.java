package io.kubehop.runtime;

import static io.kubehop.runtime.RuntimeFixture.await;
import static io.kubehop.runtime.RuntimeFixture.containerConfig;
import static io.kubehop.runtime.RuntimeFixture.podConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.cri.v1.PortMapping;
import io.kubehop.cri.v1.StartContainerRequest;
import io.kubehop.cri.v1.StopContainerRequest;
import io.kubehop.runtime.image.NginxServer;
import io.kubehop.testkit.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nginx image: a separate JVM serving the welcome page on the pod IP at each container port.
 */
class NginxImageTest {

  @TempDir Path home;

  @Test
  void servesTheWelcomePageOnThePodIpAndExitsZeroOnSigterm() throws Exception {
    try (RuntimeFixture rt = new RuntimeFixture(home, "127.20.203.0/24")) {
      String sandbox =
          rt.runSandbox(
              podConfig("nginx")
                  .addPortMappings(PortMapping.newBuilder().setContainerPort(8080))
                  .addPortMappings(PortMapping.newBuilder().setContainerPort(8081)));
      String id = rt.createContainer(sandbox, containerConfig("nginx", "nginx:1.27", List.of()));
      await(rt.cri.startContainer(StartContainerRequest.newBuilder().setContainerId(id).build()));
      String ip = rt.server.sandboxes().get(sandbox).ip();
      assertEquals("127.20.203.2", ip);

      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      Await.until(
          "nginx listening on " + ip + ":8081",
          Duration.ofSeconds(30),
          () -> get(http, ip, 8081, "/") != null);
      HttpResponse<String> welcome = get(http, ip, 8080, "/");
      assertEquals(200, welcome.statusCode());
      assertEquals(NginxServer.WELCOME_PAGE, welcome.body());
      assertTrue(welcome.body().contains("<title>Welcome to nginx!</title>"));
      assertEquals("nginx", welcome.headers().firstValue("server").orElse(""));
      HttpResponse<String> missing = get(http, ip, 8080, "/nope");
      assertEquals(404, missing.statusCode());
      assertEquals(NginxServer.NOT_FOUND_PAGE, missing.body());

      await(
          rt.cri.stopContainer(
              StopContainerRequest.newBuilder().setContainerId(id).setTimeout(10).build()));
      var status = rt.status(id);
      assertEquals(0, status.getExitCode());
      assertEquals("Completed", status.getReason());
      String log = String.join("\n", ContainerLifecycleTest.logLines(status));
      assertTrue(log.contains(" stdout F nginx: listening on " + ip + ":8080"), log);
      assertTrue(log.contains("\"GET /nope HTTP/1.1\" 404 "), log);
    }
  }

  private static HttpResponse<String> get(HttpClient http, String ip, int port, String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
