package io.kubehop.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubehop.cri.v1.ContainerConfig;
import io.kubehop.cri.v1.ContainerMetadata;
import io.kubehop.cri.v1.ContainerState;
import io.kubehop.cri.v1.ContainerStatus;
import io.kubehop.cri.v1.ContainerStatusRequest;
import io.kubehop.cri.v1.CreateContainerRequest;
import io.kubehop.cri.v1.ImageSpec;
import io.kubehop.cri.v1.PodSandboxConfig;
import io.kubehop.cri.v1.PodSandboxMetadata;
import io.kubehop.cri.v1.RunPodSandboxRequest;
import io.kubehop.cri.v1.RuntimeServiceGrpcClient;
import io.kubehop.cri.v1.StartContainerRequest;
import io.kubehop.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * A real runtime server on a temp socket plus a real gRPC client, and helpers to drive it in tests.
 */
final class RuntimeFixture implements AutoCloseable {

  final Path home;
  final String podCidr;
  final Vertx vertx = Vertx.vertx();
  final RuntimeServer server;
  final RuntimeServiceGrpcClient cri;
  private final GrpcClient grpcClient;

  RuntimeFixture(Path home, String podCidr) throws Exception {
    this(home, podCidr, Clock.systemUTC());
  }

  /** A runtime whose streaming tokens expire by {@code streamingClock}. */
  RuntimeFixture(Path home, String podCidr, Clock streamingClock) throws Exception {
    this.home = home;
    this.podCidr = podCidr;
    RuntimeConfig config =
        new RuntimeConfig(
            home, "node-t", RuntimeConfig.defaultSocket(home, "node-t"), podCidr, "127.0.0.1");
    server = new RuntimeServer(vertx, config, streamingClock, Duration.ofMinutes(1));
    await(server.start());
    grpcClient = GrpcClient.client(vertx);
    cri =
        RuntimeServiceGrpcClient.create(
            grpcClient, SocketAddress.domainSocketAddress(config.socket().toString()));
  }

  /**
   * The result of {@code future}; a failed call throws its failure itself, as a CRI client sees it.
   */
  static <T> T await(Future<T> future) throws Exception {
    try {
      return Await.await(future, Duration.ofSeconds(30));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Asserts the call fails with the gRPC status. */
  static void assertStatus(GrpcStatus expected, Supplier<Future<?>> call) {
    InvalidStatusException e = assertThrows(InvalidStatusException.class, () -> await(call.get()));
    assertEquals(expected, e.actualStatus());
  }

  static PodSandboxConfig.Builder podConfig(String name) {
    String uid = UUID.randomUUID().toString();
    return PodSandboxConfig.newBuilder()
        .setMetadata(
            PodSandboxMetadata.newBuilder().setName(name).setNamespace("default").setUid(uid))
        .setHostname(name)
        .putLabels("io.kubernetes.pod.name", name)
        .putLabels("io.kubernetes.pod.namespace", "default")
        .putLabels("io.kubernetes.pod.uid", uid);
  }

  static ContainerConfig.Builder containerConfig(String name, String image, List<String> command) {
    return ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(image))
        .addAllCommand(command)
        .setLogPath(name + "/0.log")
        .putLabels("io.kubernetes.container.name", name);
  }

  Path logDirectory(String pod) {
    return home.resolve("nodes/node-t/pods/default_" + pod);
  }

  String runSandbox(PodSandboxConfig.Builder config) throws Exception {
    if (config.getLogDirectory().isEmpty()) {
      config.setLogDirectory(logDirectory(config.getMetadata().getName()).toString());
    }
    return await(cri.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()))
        .getPodSandboxId();
  }

  String createContainer(String sandboxId, ContainerConfig.Builder config) throws Exception {
    return await(
            cri.createContainer(
                CreateContainerRequest.newBuilder()
                    .setPodSandboxId(sandboxId)
                    .setConfig(config)
                    .build()))
        .getContainerId();
  }

  /** Runs a sandbox and creates and starts one container in it; returns the container id. */
  String runContainer(String pod, ContainerConfig.Builder config) throws Exception {
    String sandboxId = runSandbox(podConfig(pod));
    String id = createContainer(sandboxId, config);
    await(cri.startContainer(StartContainerRequest.newBuilder().setContainerId(id).build()));
    return id;
  }

  ContainerStatus status(String id) throws Exception {
    return await(
            cri.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build()))
        .getStatus();
  }

  ContainerStatus awaitExited(String id, Duration deadline) throws Exception {
    Await.until(
        "container " + id + " to exit",
        deadline,
        () -> {
          try {
            return status(id).getState() == ContainerState.CONTAINER_EXITED;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
    return status(id);
  }

  @Override
  public void close() throws Exception {
    server.shutdown(1);
    await(vertx.close());
  }
}
