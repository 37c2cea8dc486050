package io.kubehop.runtime;

import static io.kubehop.runtime.RuntimeFixture.await;
import static io.kubehop.runtime.RuntimeFixture.containerConfig;
import static io.kubehop.runtime.RuntimeFixture.podConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.cri.v1.CreateContainerRequest;
import io.kubehop.cri.v1.RunPodSandboxRequest;
import io.kubehop.cri.v1.RuntimeServiceGrpcClient;
import io.kubehop.cri.v1.StartContainerRequest;
import io.kubehop.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime as a process: flags, the ready line, a stale socket, and SIGTERM leaving nothing
 * behind.
 */
class RuntimeMainTest {

  private static final Pattern READY =
      Pattern.compile(
          "kubehop runtime ready unix://(\\S+) streaming=http://127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path home;

  @Test
  void readyLineThenSigtermStopsContainersAndExitsZero() throws Exception {
    Path socket = home.resolve("nodes/node-x/runtime.sock");
    Files.createDirectories(socket.getParent());
    Files.writeString(socket, "stale");
    Process runtime =
        new ProcessBuilder(
                ImageJava.java(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                RuntimeMain.class.getName(),
                "--home",
                home.toString(),
                "--node-name",
                "node-x",
                "--pod-cidr",
                "127.20.204.0/24",
                "--streaming-address",
                "127.0.0.1")
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("runtime.log").toFile())
            .start();
    Vertx vertx = Vertx.vertx();
    try {
      Await.until(
          "ready line",
          Duration.ofSeconds(30),
          () -> output().stream().anyMatch(l -> READY.matcher(l).matches()));
      Matcher ready =
          output().stream().map(READY::matcher).filter(Matcher::matches).findFirst().orElseThrow();
      assertEquals(socket.toString(), ready.group(1));

      HttpResponse<String> streaming =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + ready.group(2) + "/exec/x"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(404, streaming.statusCode());

      RuntimeServiceGrpcClient cri =
          RuntimeServiceGrpcClient.create(
              GrpcClient.client(vertx), SocketAddress.domainSocketAddress(socket.toString()));
      String sandbox =
          await(
                  cri.runPodSandbox(
                      RunPodSandboxRequest.newBuilder().setConfig(podConfig("p")).build()))
              .getPodSandboxId();
      List<String> ids = new ArrayList<>();
      for (var config :
          List.of(
              containerConfig("sleeper", "busybox", List.of("sleep", "3600")),
              containerConfig(
                  "stubborn",
                  "busybox",
                  List.of("sh", "-c", "trap '' TERM; while :; do sleep 1; done")))) {
        String id =
            await(
                    cri.createContainer(
                        CreateContainerRequest.newBuilder()
                            .setPodSandboxId(sandbox)
                            .setConfig(config)
                            .build()))
                .getContainerId();
        await(cri.startContainer(StartContainerRequest.newBuilder().setContainerId(id).build()));
        ids.add(id);
      }
      List<ProcessHandle> processes = new ArrayList<>();
      for (String id : ids) {
        Path record = home.resolve("nodes/node-x/runtime/containers/" + id + ".json");
        Await.until("pid in " + record, Duration.ofSeconds(10), () -> pidOf(record) > 0);
        ProcessHandle handle = ProcessHandle.of(pidOf(record)).orElseThrow();
        assertEquals(
            runtime.pid(),
            handle.parent().orElseThrow().pid(),
            "container is a child of the runtime");
        processes.add(handle);
      }
      ProcessHandle stubborn = processes.get(1);
      Await.until(
          "stubborn shell runs its sleep",
          Duration.ofSeconds(10),
          () -> stubborn.children().findAny().isPresent());
      processes.addAll(stubborn.descendants().toList());

      runtime.destroy(); // SIGTERM
      assertTrue(runtime.waitFor(20, TimeUnit.SECONDS), "runtime exits after SIGTERM");
      assertEquals(0, runtime.exitValue());
      for (ProcessHandle process : processes) {
        // an isolated container's PID 1 is a grandchild of the runtime: once its parent (unshare)
        // is killed with it, init reaps it, a moment later
        Await.until(
            () -> "left behind: " + process.pid() + " " + process.info().commandLine(),
            Duration.ofSeconds(10),
            () -> !process.isAlive());
      }
      assertFalse(Files.exists(socket), "socket removed");
      List<String> rest = output();
      assertTrue(
          rest.stream()
              .anyMatch(l -> l.startsWith("runtime ") && l.contains(" INFO shutting down")),
          rest.toString());
    } finally {
      runtime.destroyForcibly();
      await(vertx.close());
    }
  }

  @Test
  void badPodCidrIsAUsageError() throws Exception {
    Process runtime =
        new ProcessBuilder(
                ImageJava.java(),
                "-cp",
                System.getProperty("java.class.path"),
                RuntimeMain.class.getName(),
                "--home",
                home.toString(),
                "--pod-cidr",
                "10.0.0.0")
            .redirectErrorStream(true)
            .start();
    String output = new String(runtime.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(runtime.waitFor(20, TimeUnit.SECONDS));
    assertEquals(2, runtime.exitValue());
    assertTrue(
        output.contains("runtime: invalid pod CIDR \"10.0.0.0\": expected a.b.c.d/prefix"), output);
  }

  private static long pidOf(Path record) {
    try {
      return Files.exists(record) ? new JsonObject(Files.readString(record)).getLong("pid", 0L) : 0;
    } catch (Exception e) {
      return 0; // being replaced right now
    }
  }

  private List<String> output() {
    try {
      return Files.readAllLines(home.resolve("runtime.log"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The java binary of this test JVM. */
  static final class ImageJava {
    static String java() {
      return ProcessHandle.current().info().command().orElseThrow();
    }
  }
}
