package io.kubehop.kubelet.fake;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.kubehop.cri.v1.AttachRequest;
import io.kubehop.cri.v1.AttachResponse;
import io.kubehop.cri.v1.Container;
import io.kubehop.cri.v1.ContainerConfig;
import io.kubehop.cri.v1.ContainerFilter;
import io.kubehop.cri.v1.ContainerState;
import io.kubehop.cri.v1.ContainerStatus;
import io.kubehop.cri.v1.ContainerStatusRequest;
import io.kubehop.cri.v1.ContainerStatusResponse;
import io.kubehop.cri.v1.CreateContainerRequest;
import io.kubehop.cri.v1.CreateContainerResponse;
import io.kubehop.cri.v1.ExecRequest;
import io.kubehop.cri.v1.ExecResponse;
import io.kubehop.cri.v1.ExecSyncRequest;
import io.kubehop.cri.v1.ExecSyncResponse;
import io.kubehop.cri.v1.ListContainersRequest;
import io.kubehop.cri.v1.ListContainersResponse;
import io.kubehop.cri.v1.ListPodSandboxRequest;
import io.kubehop.cri.v1.ListPodSandboxResponse;
import io.kubehop.cri.v1.PodSandbox;
import io.kubehop.cri.v1.PodSandboxConfig;
import io.kubehop.cri.v1.PodSandboxFilter;
import io.kubehop.cri.v1.PodSandboxNetworkStatus;
import io.kubehop.cri.v1.PodSandboxState;
import io.kubehop.cri.v1.PodSandboxStatus;
import io.kubehop.cri.v1.PodSandboxStatusRequest;
import io.kubehop.cri.v1.PodSandboxStatusResponse;
import io.kubehop.cri.v1.RemoveContainerRequest;
import io.kubehop.cri.v1.RemoveContainerResponse;
import io.kubehop.cri.v1.RemovePodSandboxRequest;
import io.kubehop.cri.v1.RemovePodSandboxResponse;
import io.kubehop.cri.v1.RunPodSandboxRequest;
import io.kubehop.cri.v1.RunPodSandboxResponse;
import io.kubehop.cri.v1.RuntimeServiceGrpcService;
import io.kubehop.cri.v1.RuntimeServiceService;
import io.kubehop.cri.v1.StartContainerRequest;
import io.kubehop.cri.v1.StartContainerResponse;
import io.kubehop.cri.v1.StopContainerRequest;
import io.kubehop.cri.v1.StopContainerResponse;
import io.kubehop.cri.v1.StopPodSandboxRequest;
import io.kubehop.cri.v1.StopPodSandboxResponse;
import io.kubehop.cri.v1.VersionRequest;
import io.kubehop.cri.v1.VersionResponse;
import io.kubehop.streaming.cri.StreamingServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.StatusException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An in-memory CRI runtime served on a unix socket. Containers run until stopped, except those
 * whose command is {@code ["fake-exit", "<code>"]}: they exit with that code 100 ms after start;
 * {@code ["fake-fail-start"]} cannot be started. Records every call. Thread-safe.
 *
 * <p>{@code Exec} and {@code Attach} park their request on the {@link #streaming(StreamingServer)
 * streaming server}, as the runtime's CRI service does, and answer its URL; or they fail with
 * {@link #failStreams(GrpcStatus, String)}'s status.
 */
public final class FakeRuntime extends RuntimeServiceService implements AutoCloseable {

  /** One CRI call: the method name and its request. */
  public record Call(String method, Message request, long at) {}

  /** A sandbox the fake holds. */
  public static final class Sandbox {
    public String id;
    public PodSandboxConfig config;
    public PodSandboxState state = PodSandboxState.SANDBOX_READY;
    public String ip;
    public long createdAt = System.nanoTime();
  }

  /** A container the fake holds. */
  public static final class Ctr {
    public String id;
    public String sandboxId;
    public ContainerConfig config;
    public ContainerState state = ContainerState.CONTAINER_CREATED;
    public long createdAt;
    public long startedAt;
    public long finishedAt;
    public int exitCode;
    public String logPath;
  }

  private final Vertx vertx = Vertx.vertx();
  private final Path socket;
  private HttpServer server;
  public final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Sandbox> sandboxes = new LinkedHashMap<>();
  private final Map<String, Ctr> containers = new LinkedHashMap<>();
  private int nextId = 1;
  private volatile StreamingServer streaming;
  private volatile String streamingBaseUrl;
  private volatile GrpcStatus streamFailure;
  private volatile String streamFailureMessage;
  private volatile long streamDelayMillis;

  /** ExecSync's answer: the exit code per command (its first word; 0 when absent). */
  public final Map<String, Integer> execSyncExit = new java.util.concurrent.ConcurrentHashMap<>();

  public FakeRuntime(Path socket) throws Exception {
    this.socket = socket;
    start();
  }

  /** (Re)starts serving on the socket. */
  public void start() throws Exception {
    Files.deleteIfExists(socket);
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.addService(RuntimeServiceGrpcService.of(this));
    server = vertx.createHttpServer().requestHandler(grpc);
    server.listen(SocketAddress.domainSocketAddress(socket.toString())).await(10, TimeUnit.SECONDS);
  }

  /** Stops serving (the runtime is "down"); state is kept. */
  public void stopServing() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Where Exec and Attach park their requests. */
  public void streaming(StreamingServer server) {
    this.streaming = server;
  }

  /**
   * Makes the URLs of Exec and Attach start with {@code url} instead of the streaming server's base
   * URL.
   */
  public void streamingBaseUrl(String url) {
    this.streamingBaseUrl = url;
  }

  /**
   * Makes Exec and Attach fail with {@code status} and {@code message}; {@code null} status =
   * answer again.
   */
  public void failStreams(GrpcStatus status, String message) {
    this.streamFailure = status;
    this.streamFailureMessage = message;
  }

  /** Makes Exec and Attach answer only after {@code millis} (0 = at once). */
  public void delayStreams(long millis) {
    this.streamDelayMillis = millis;
  }

  public List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  public synchronized List<Ctr> containers() {
    return new ArrayList<>(containers.values());
  }

  public synchronized List<Sandbox> sandboxes() {
    return new ArrayList<>(sandboxes.values());
  }

  /** Makes a running container exit now with the given code. */
  public synchronized void exit(String id, int code) {
    Ctr c = containers.get(id);
    if (c != null && c.state == ContainerState.CONTAINER_RUNNING) {
      c.state = ContainerState.CONTAINER_EXITED;
      c.exitCode = code;
      c.finishedAt = now();
    }
  }

  private static long now() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private <T> Future<T> record(String method, Message request, Supplier<T> answer) {
    calls.add(new Call(method, request, System.nanoTime()));
    synchronized (this) {
      try {
        return Future.succeededFuture(answer.get());
      } catch (RuntimeException e) {
        return Future.failedFuture(new StatusException(GrpcStatus.NOT_FOUND, e.getMessage()));
      }
    }
  }

  @Override
  public Future<VersionResponse> version(VersionRequest r) {
    return record(
        "Version",
        r,
        () ->
            VersionResponse.newBuilder()
                .setVersion("0.1.0")
                .setRuntimeName("fake")
                .setRuntimeVersion("0.1")
                .setRuntimeApiVersion("v1")
                .build());
  }

  @Override
  public Future<RunPodSandboxResponse> runPodSandbox(RunPodSandboxRequest r) {
    return record(
        "RunPodSandbox",
        r,
        () -> {
          Sandbox s = new Sandbox();
          s.id = "sb-" + nextId++;
          s.config = r.getConfig();
          s.ip = "127.20.1." + (sandboxes.size() + 2);
          sandboxes.put(s.id, s);
          return RunPodSandboxResponse.newBuilder().setPodSandboxId(s.id).build();
        });
  }

  @Override
  public Future<StopPodSandboxResponse> stopPodSandbox(StopPodSandboxRequest r) {
    return record(
        "StopPodSandbox",
        r,
        () -> {
          Sandbox s = sandbox(r.getPodSandboxId());
          s.state = PodSandboxState.SANDBOX_NOTREADY;
          for (Ctr c : containers.values()) {
            if (c.sandboxId.equals(s.id) && c.state == ContainerState.CONTAINER_RUNNING) {
              c.state = ContainerState.CONTAINER_EXITED;
              c.exitCode = 137;
              c.finishedAt = now();
            }
          }
          return StopPodSandboxResponse.getDefaultInstance();
        });
  }

  @Override
  public Future<RemovePodSandboxResponse> removePodSandbox(RemovePodSandboxRequest r) {
    return record(
        "RemovePodSandbox",
        r,
        () -> {
          sandboxes.remove(r.getPodSandboxId());
          containers.values().removeIf(c -> c.sandboxId.equals(r.getPodSandboxId()));
          return RemovePodSandboxResponse.getDefaultInstance();
        });
  }

  @Override
  public Future<PodSandboxStatusResponse> podSandboxStatus(PodSandboxStatusRequest r) {
    return record(
        "PodSandboxStatus",
        r,
        () -> {
          Sandbox s = sandbox(r.getPodSandboxId());
          return PodSandboxStatusResponse.newBuilder()
              .setStatus(
                  PodSandboxStatus.newBuilder()
                      .setId(s.id)
                      .setMetadata(s.config.getMetadata())
                      .setState(s.state)
                      .setCreatedAt(s.createdAt)
                      .setNetwork(PodSandboxNetworkStatus.newBuilder().setIp(s.ip))
                      .putAllLabels(s.config.getLabelsMap()))
              .build();
        });
  }

  @Override
  public Future<ListPodSandboxResponse> listPodSandbox(ListPodSandboxRequest r) {
    return record(
        "ListPodSandbox",
        r,
        () -> {
          ListPodSandboxResponse.Builder b = ListPodSandboxResponse.newBuilder();
          PodSandboxFilter f = r.getFilter();
          for (Sandbox s : sandboxes.values()) {
            if ((!f.getId().isEmpty() && !f.getId().equals(s.id))
                || !s.config
                    .getLabelsMap()
                    .entrySet()
                    .containsAll(f.getLabelSelectorMap().entrySet())) {
              continue;
            }
            b.addItems(
                PodSandbox.newBuilder()
                    .setId(s.id)
                    .setMetadata(s.config.getMetadata())
                    .setState(s.state)
                    .setCreatedAt(s.createdAt)
                    .putAllLabels(s.config.getLabelsMap()));
          }
          return b.build();
        });
  }

  @Override
  public Future<CreateContainerResponse> createContainer(CreateContainerRequest r) {
    return record(
        "CreateContainer",
        r,
        () -> {
          Sandbox s = sandbox(r.getPodSandboxId());
          Ctr c = new Ctr();
          c.id = "ctr-" + nextId++;
          c.sandboxId = s.id;
          c.config = r.getConfig();
          c.createdAt = now();
          c.logPath = s.config.getLogDirectory() + "/" + r.getConfig().getLogPath();
          containers.put(c.id, c);
          return CreateContainerResponse.newBuilder().setContainerId(c.id).build();
        });
  }

  @Override
  public Future<StartContainerResponse> startContainer(StartContainerRequest r) {
    return record(
        "StartContainer",
        r,
        () -> {
          Ctr c = container(r.getContainerId());
          if (c.config.getCommandList().equals(List.of("fake-fail-start"))) {
            throw new IllegalStateException(
                "exec: \"fake-fail-start\": executable file not found in $PATH");
          }
          c.state = ContainerState.CONTAINER_RUNNING;
          c.startedAt = now();
          List<String> cmd = c.config.getCommandList();
          if (cmd.size() == 2 && cmd.get(0).equals("fake-exit")) {
            int code = Integer.parseInt(cmd.get(1));
            vertx.setTimer(100, id -> exit(c.id, code));
          }
          return StartContainerResponse.getDefaultInstance();
        });
  }

  @Override
  public Future<StopContainerResponse> stopContainer(StopContainerRequest r) {
    return record(
        "StopContainer",
        r,
        () -> {
          Ctr c = container(r.getContainerId());
          if (c.state == ContainerState.CONTAINER_RUNNING) {
            c.state = ContainerState.CONTAINER_EXITED;
            c.exitCode = 143;
            c.finishedAt = now();
          }
          return StopContainerResponse.getDefaultInstance();
        });
  }

  @Override
  public Future<RemoveContainerResponse> removeContainer(RemoveContainerRequest r) {
    return record(
        "RemoveContainer",
        r,
        () -> {
          containers.remove(r.getContainerId());
          return RemoveContainerResponse.getDefaultInstance();
        });
  }

  @Override
  public Future<ListContainersResponse> listContainers(ListContainersRequest r) {
    return record(
        "ListContainers",
        r,
        () -> {
          ListContainersResponse.Builder b = ListContainersResponse.newBuilder();
          ContainerFilter f = r.getFilter();
          for (Ctr c : containers.values()) {
            if ((!f.getId().isEmpty() && !f.getId().equals(c.id))
                || (!f.getPodSandboxId().isEmpty() && !f.getPodSandboxId().equals(c.sandboxId))
                || !c.config
                    .getLabelsMap()
                    .entrySet()
                    .containsAll(f.getLabelSelectorMap().entrySet())) {
              continue;
            }
            b.addContainers(
                Container.newBuilder()
                    .setId(c.id)
                    .setPodSandboxId(c.sandboxId)
                    .setMetadata(c.config.getMetadata())
                    .setImage(c.config.getImage())
                    .setImageRef("sha256:fake")
                    .setState(c.state)
                    .setCreatedAt(c.createdAt)
                    .putAllLabels(c.config.getLabelsMap())
                    .putAllAnnotations(c.config.getAnnotationsMap()));
          }
          return b.build();
        });
  }

  @Override
  public Future<ContainerStatusResponse> containerStatus(ContainerStatusRequest r) {
    return record(
        "ContainerStatus",
        r,
        () -> {
          Ctr c = container(r.getContainerId());
          return ContainerStatusResponse.newBuilder()
              .setStatus(
                  ContainerStatus.newBuilder()
                      .setId(c.id)
                      .setMetadata(c.config.getMetadata())
                      .setState(c.state)
                      .setCreatedAt(c.createdAt)
                      .setStartedAt(c.startedAt)
                      .setFinishedAt(c.finishedAt)
                      .setExitCode(c.exitCode)
                      .setImage(c.config.getImage())
                      .setImageRef("sha256:fake")
                      .setReason(
                          c.state == ContainerState.CONTAINER_EXITED
                              ? (c.exitCode == 0 ? "Completed" : "Error")
                              : "")
                      .putAllLabels(c.config.getLabelsMap())
                      .putAllAnnotations(c.config.getAnnotationsMap())
                      .setLogPath(c.logPath))
              .build();
        });
  }

  @Override
  public Future<ExecSyncResponse> execSync(ExecSyncRequest r) {
    return record(
        "ExecSync",
        r,
        () -> {
          container(r.getContainerId()); // NOT_FOUND for an unknown container
          int code = execSyncExit.getOrDefault(r.getCmd(0), 0);
          return ExecSyncResponse.newBuilder()
              .setStdout(ByteString.copyFromUtf8("out " + code))
              .setExitCode(code)
              .build();
        });
  }

  @Override
  public Future<ExecResponse> exec(ExecRequest r) {
    return streamUrl("Exec", r, server -> server.getExec(r).getUrl())
        .map(url -> ExecResponse.newBuilder().setUrl(url).build());
  }

  @Override
  public Future<AttachResponse> attach(AttachRequest r) {
    return streamUrl("Attach", r, server -> server.getAttach(r).getUrl())
        .map(url -> AttachResponse.newBuilder().setUrl(url).build());
  }

  private Future<String> streamUrl(
      String method, Message request, Function<StreamingServer, String> park) {
    calls.add(new Call(method, request, System.nanoTime()));
    GrpcStatus failure = streamFailure;
    if (failure != null) {
      return Future.failedFuture(new StatusException(failure, streamFailureMessage));
    }
    StreamingServer server = streaming;
    if (server == null) {
      return Future.failedFuture(
          new IllegalStateException("no streaming server: call streaming(server) first"));
    }
    String parked;
    try {
      parked = park.apply(server);
    } catch (StatusException e) {
      return Future.failedFuture(e);
    }
    String base = streamingBaseUrl;
    String url = base == null ? parked : base + parked.substring(server.baseUrl().length());
    long delay = streamDelayMillis;
    if (delay <= 0) {
      return Future.succeededFuture(url);
    }
    Promise<String> later = Promise.promise();
    vertx.setTimer(delay, id -> later.complete(url));
    return later.future();
  }

  private Sandbox sandbox(String id) {
    Sandbox s = sandboxes.get(id);
    if (s == null) {
      throw new IllegalArgumentException("sandbox " + id + " not found");
    }
    return s;
  }

  private Ctr container(String id) {
    Ctr c = containers.get(id);
    if (c == null) {
      throw new IllegalArgumentException("container " + id + " not found");
    }
    return c;
  }
}
