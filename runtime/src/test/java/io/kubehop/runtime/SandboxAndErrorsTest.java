package io.kubehop.runtime;

import static io.kubehop.runtime.RuntimeFixture.assertStatus;
import static io.kubehop.runtime.RuntimeFixture.await;
import static io.kubehop.runtime.RuntimeFixture.containerConfig;
import static io.kubehop.runtime.RuntimeFixture.podConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.cri.v1.ContainerFilter;
import io.kubehop.cri.v1.ContainerState;
import io.kubehop.cri.v1.ContainerStateValue;
import io.kubehop.cri.v1.ContainerStatus;
import io.kubehop.cri.v1.ContainerStatusRequest;
import io.kubehop.cri.v1.CreateContainerRequest;
import io.kubehop.cri.v1.ListContainersRequest;
import io.kubehop.cri.v1.ListPodSandboxRequest;
import io.kubehop.cri.v1.PodSandboxFilter;
import io.kubehop.cri.v1.PodSandboxState;
import io.kubehop.cri.v1.PodSandboxStateValue;
import io.kubehop.cri.v1.PodSandboxStatusRequest;
import io.kubehop.cri.v1.PortForwardRequest;
import io.kubehop.cri.v1.RemoveContainerRequest;
import io.kubehop.cri.v1.RemovePodSandboxRequest;
import io.kubehop.cri.v1.RunPodSandboxRequest;
import io.kubehop.cri.v1.RuntimeServiceGrpcClient;
import io.kubehop.cri.v1.StartContainerRequest;
import io.kubehop.cri.v1.StatusRequest;
import io.kubehop.cri.v1.StopContainerRequest;
import io.kubehop.cri.v1.StopPodSandboxRequest;
import io.kubehop.cri.v1.VersionRequest;
import io.kubehop.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sandboxes, pod IPs, list filters, persisted records and the CRI error codes. */
class SandboxAndErrorsTest {

  @TempDir static Path home;
  static RuntimeFixture rt;

  @BeforeAll
  static void start() throws Exception {
    rt = new RuntimeFixture(home, "127.20.202.0/29");
  }

  @AfterAll
  static void stop() throws Exception {
    rt.close();
  }

  private static String ip(String sandboxId) throws Exception {
    return await(
            rt.cri.podSandboxStatus(
                PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build()))
        .getStatus()
        .getNetwork()
        .getIp();
  }

  private static void removeSandbox(String id) throws Exception {
    await(
        rt.cri.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build()));
  }

  @Test
  void versionAndStatus() throws Exception {
    var version = await(rt.cri.version(VersionRequest.getDefaultInstance()));
    assertEquals("kubehop", version.getRuntimeName());
    assertEquals("v1", version.getRuntimeApiVersion());
    var status = await(rt.cri.status(StatusRequest.getDefaultInstance())).getStatus();
    assertEquals(
        List.of("RuntimeReady", "NetworkReady"),
        status.getConditionsList().stream().map(c -> c.getType()).toList());
    assertTrue(status.getConditionsList().stream().allMatch(c -> c.getStatus()));
  }

  @Test
  void podIpsAreUniqueAndReleasedOnRemove() throws Exception {
    // a /29 has .0 (network), .1 (skipped), .2-.6 for pods, .7 (broadcast)
    String a = rt.runSandbox(podConfig("ip-a"));
    String b = rt.runSandbox(podConfig("ip-b"));
    String c = rt.runSandbox(podConfig("ip-c"));
    List<String> ips = List.of(ip(a), ip(b), ip(c));
    assertEquals(3, ips.stream().distinct().count(), ips.toString());
    assertTrue(ips.stream().allMatch(ip -> ip.matches("127\\.20\\.202\\.[2-6]")), ips.toString());
    String released = ip(b);
    removeSandbox(b);
    String d = rt.runSandbox(podConfig("ip-d"));
    assertEquals(released, ip(d));
    for (String id : List.of(a, c, d)) {
      removeSandbox(id);
    }
  }

  @Test
  void exhaustedCidrIsResourceExhausted() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(rt.runSandbox(podConfig("full-" + i)));
    }
    assertStatus(
        GrpcStatus.RESOURCE_EXHAUSTED,
        () ->
            rt.cri.runPodSandbox(
                RunPodSandboxRequest.newBuilder().setConfig(podConfig("one-too-many")).build()));
    for (String id : ids) {
      removeSandbox(id);
    }
  }

  @Test
  void listFilters() throws Exception {
    String s1 = rt.runSandbox(podConfig("list-1").putLabels("app", "web"));
    String s2 = rt.runSandbox(podConfig("list-2").putLabels("app", "db"));
    String c1 =
        rt.createContainer(
            s1, containerConfig("app", "busybox", List.of("sleep", "3600")).putLabels("tier", "a"));
    String c2 =
        rt.createContainer(
            s2, containerConfig("app", "busybox", List.of("true")).putLabels("tier", "b"));
    await(rt.cri.startContainer(StartContainerRequest.newBuilder().setContainerId(c1).build()));

    assertEquals(
        List.of(s1), sandboxIds(PodSandboxFilter.newBuilder().putLabelSelector("app", "web")));
    assertEquals(List.of(s2), sandboxIds(PodSandboxFilter.newBuilder().setId(s2)));
    assertEquals(
        List.of(s1, s2),
        sandboxIds(
            PodSandboxFilter.newBuilder()
                .setState(
                    PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_READY))));
    await(rt.cri.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(s2).build()));
    assertEquals(
        List.of(s2),
        sandboxIds(
            PodSandboxFilter.newBuilder()
                .setState(
                    PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_NOTREADY))));

    assertEquals(List.of(c1), containerIds(ContainerFilter.newBuilder().setPodSandboxId(s1)));
    assertEquals(
        List.of(c2), containerIds(ContainerFilter.newBuilder().putLabelSelector("tier", "b")));
    assertEquals(
        List.of(c1),
        containerIds(
            ContainerFilter.newBuilder()
                .setState(
                    ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_RUNNING))));
    assertEquals(
        List.of(c2),
        containerIds(
            ContainerFilter.newBuilder()
                .setId(c2)
                .setState(
                    ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_CREATED))));
    assertEquals(
        List.of(),
        containerIds(ContainerFilter.newBuilder().setId(c2).putLabelSelector("tier", "a")));
    var item =
        await(
                rt.cri.listContainers(
                    ListContainersRequest.newBuilder()
                        .setFilter(ContainerFilter.newBuilder().setId(c1))
                        .build()))
            .getContainers(0);
    assertEquals("app", item.getLabelsOrThrow("io.kubernetes.container.name"));
    assertEquals(s1, item.getPodSandboxId());

    removeSandbox(s1);
    removeSandbox(s2);
    assertEquals(List.of(), containerIds(ContainerFilter.newBuilder().setPodSandboxId(s1)));
  }

  @Test
  void stopPodSandboxStopsItsContainers() throws Exception {
    String s = rt.runSandbox(podConfig("stoppod"));
    String c = rt.createContainer(s, containerConfig("app", "busybox", List.of("sleep", "3600")));
    await(rt.cri.startContainer(StartContainerRequest.newBuilder().setContainerId(c).build()));
    await(rt.cri.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(s).build()));
    assertEquals(
        PodSandboxState.SANDBOX_NOTREADY,
        await(
                rt.cri.podSandboxStatus(
                    PodSandboxStatusRequest.newBuilder().setPodSandboxId(s).build()))
            .getStatus()
            .getState());
    assertEquals(137, rt.status(c).getExitCode());
    assertStatus(
        GrpcStatus.FAILED_PRECONDITION,
        () ->
            rt.cri.createContainer(
                CreateContainerRequest.newBuilder()
                    .setPodSandboxId(s)
                    .setConfig(containerConfig("late", "busybox", List.of("true")))
                    .build()));
    removeSandbox(s);
  }

  @Test
  void unknownIdsAreNotFound() {
    assertStatus(
        GrpcStatus.NOT_FOUND,
        () ->
            rt.cri.containerStatus(
                ContainerStatusRequest.newBuilder().setContainerId("nope").build()));
    assertStatus(
        GrpcStatus.NOT_FOUND,
        () ->
            rt.cri.startContainer(
                StartContainerRequest.newBuilder().setContainerId("nope").build()));
    assertStatus(
        GrpcStatus.NOT_FOUND,
        () ->
            rt.cri.stopContainer(StopContainerRequest.newBuilder().setContainerId("nope").build()));
    assertStatus(
        GrpcStatus.NOT_FOUND,
        () ->
            rt.cri.podSandboxStatus(
                PodSandboxStatusRequest.newBuilder().setPodSandboxId("nope").build()));
    assertStatus(
        GrpcStatus.NOT_FOUND,
        () ->
            rt.cri.stopPodSandbox(
                StopPodSandboxRequest.newBuilder().setPodSandboxId("nope").build()));
    assertStatus(
        GrpcStatus.NOT_FOUND,
        () ->
            rt.cri.createContainer(
                CreateContainerRequest.newBuilder()
                    .setPodSandboxId("nope")
                    .setConfig(containerConfig("x", "busybox", List.of("true")))
                    .build()));
  }

  @Test
  void errorsCarryAReadableMessage() throws Exception {
    GrpcClient client = GrpcClient.client(rt.vertx);
    var response =
        await(
            client
                .request(
                    SocketAddress.domainSocketAddress(
                        home.resolve("nodes/node-t/runtime.sock").toString()),
                    RuntimeServiceGrpcClient.ContainerStatus)
                .compose(
                    request ->
                        request.send(
                            ContainerStatusRequest.newBuilder().setContainerId("abc123").build()))
                .compose(resp -> resp.end().transform(done -> Future.succeededFuture(resp))));
    assertEquals(GrpcStatus.NOT_FOUND, response.status());
    assertEquals(
        "an error occurred when try to find container \"abc123\": not found",
        response.statusMessage());
    await(client.close());
  }

  @Test
  void removeIsIdempotent() throws Exception {
    await(
        rt.cri.removeContainer(RemoveContainerRequest.newBuilder().setContainerId("gone").build()));
    await(
        rt.cri.removePodSandbox(
            RemovePodSandboxRequest.newBuilder().setPodSandboxId("gone").build()));
  }

  @Test
  void badRequestsAreInvalidArgument() throws Exception {
    assertStatus(
        GrpcStatus.INVALID_ARGUMENT,
        () -> rt.cri.runPodSandbox(RunPodSandboxRequest.getDefaultInstance()));
    String s = rt.runSandbox(podConfig("badreq"));
    assertStatus(
        GrpcStatus.INVALID_ARGUMENT,
        () ->
            rt.cri.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(s).build()));
    removeSandbox(s);
  }

  @Test
  void startingTwiceIsFailedPrecondition() throws Exception {
    String s = rt.runSandbox(podConfig("twice"));
    String c = rt.createContainer(s, containerConfig("app", "busybox", List.of("true")));
    await(rt.cri.startContainer(StartContainerRequest.newBuilder().setContainerId(c).build()));
    assertStatus(
        GrpcStatus.FAILED_PRECONDITION,
        () -> rt.cri.startContainer(StartContainerRequest.newBuilder().setContainerId(c).build()));
    assertStatus(
        GrpcStatus.ALREADY_EXISTS,
        () ->
            rt.cri.createContainer(
                CreateContainerRequest.newBuilder()
                    .setPodSandboxId(s)
                    .setConfig(containerConfig("app", "busybox", List.of("true")))
                    .build()));
    removeSandbox(s);
  }

  @Test
  void missingExecutableFailsStartAndIsRecordedAsStartError() throws Exception {
    String s = rt.runSandbox(podConfig("missing"));
    String c =
        rt.createContainer(
            s, containerConfig("app", "busybox", List.of("no-such-binary-kubehop", "x")));
    assertStatus(
        GrpcStatus.UNKNOWN,
        () -> rt.cri.startContainer(StartContainerRequest.newBuilder().setContainerId(c).build()));
    ContainerStatus status = rt.status(c);
    assertEquals(ContainerState.CONTAINER_EXITED, status.getState());
    assertEquals(128, status.getExitCode());
    assertEquals("StartError", status.getReason());
    assertEquals(
        "exec: \"no-such-binary-kubehop\": executable file not found in $PATH",
        status.getMessage());
    removeSandbox(s);
  }

  @Test
  void relativeWorkingDirIsAStartError() throws Exception {
    String s = rt.runSandbox(podConfig("relwd"));
    String c =
        rt.createContainer(
            s, containerConfig("app", "busybox", List.of("true")).setWorkingDir("rel/dir"));
    assertStatus(
        GrpcStatus.UNKNOWN,
        () -> rt.cri.startContainer(StartContainerRequest.newBuilder().setContainerId(c).build()));
    ContainerStatus status = rt.status(c);
    assertEquals("StartError", status.getReason());
    assertEquals(
        "the working directory 'rel/dir' is invalid, it needs to be an absolute path",
        status.getMessage());
    removeSandbox(s);
  }

  @Test
  void portForwardNamesATokenUrlForAReadySandboxOnly() throws Exception {
    assertStatus(
        GrpcStatus.NOT_FOUND, () -> rt.cri.portForward(PortForwardRequest.getDefaultInstance()));
    String s = rt.runSandbox(podConfig("forwarded"));
    String url =
        await(
                rt.cri.portForward(
                    PortForwardRequest.newBuilder().setPodSandboxId(s).addPort(80).build()))
            .getUrl();
    assertTrue(
        url.matches(rt.server.streamingUrl().replace(".", "\\.") + "/portforward/[A-Za-z0-9_-]{8}"),
        url);
    await(rt.cri.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(s).build()));
    assertStatus(
        GrpcStatus.FAILED_PRECONDITION,
        () -> rt.cri.portForward(PortForwardRequest.newBuilder().setPodSandboxId(s).build()));
  }

  @Test
  void recordsArePersistedUnderTheStateDir() throws Exception {
    String s = rt.runSandbox(podConfig("persisted"));
    String c = rt.createContainer(s, containerConfig("app", "busybox", List.of("sleep", "3600")));
    await(rt.cri.startContainer(StartContainerRequest.newBuilder().setContainerId(c).build()));
    Path state = home.resolve("nodes/node-t/runtime");
    Path record = state.resolve("containers/" + c + ".json");
    Await.until(
        "running record",
        Duration.ofSeconds(10),
        () -> readState(record).contains("CONTAINER_RUNNING"));
    JsonObject json = new JsonObject(readState(record));
    assertEquals(rt.server.containers().get(c).pid(), json.getLong("pid"));
    assertEquals(s, json.getString("podSandboxId"));
    assertTrue(
        Files.readString(state.resolve("sandboxes/" + s + ".json")).contains("\"SANDBOX_READY\""));
    removeSandbox(s);
    Await.until(
        "records deleted",
        Duration.ofSeconds(10),
        () -> !Files.exists(record) && !Files.exists(state.resolve("sandboxes/" + s + ".json")));
    assertFalse(Files.exists(state.resolve("pods/" + s)));
  }

  private static String readState(Path record) {
    try {
      return Files.exists(record) ? Files.readString(record) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static List<String> sandboxIds(PodSandboxFilter.Builder filter) throws Exception {
    return await(
            rt.cri.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(filter).build()))
        .getItemsList()
        .stream()
        .map(i -> i.getId())
        .toList();
  }

  private static List<String> containerIds(ContainerFilter.Builder filter) throws Exception {
    return await(
            rt.cri.listContainers(ListContainersRequest.newBuilder().setFilter(filter).build()))
        .getContainersList()
        .stream()
        .map(i -> i.getId())
        .toList();
  }
}
