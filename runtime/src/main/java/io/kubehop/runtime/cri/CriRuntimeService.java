package io.kubehop.runtime.cri;

import io.kubehop.cri.v1.AttachRequest;
import io.kubehop.cri.v1.AttachResponse;
import io.kubehop.cri.v1.ContainerState;
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
import io.kubehop.cri.v1.PodSandboxState;
import io.kubehop.cri.v1.PodSandboxStatusRequest;
import io.kubehop.cri.v1.PodSandboxStatusResponse;
import io.kubehop.cri.v1.PortForwardRequest;
import io.kubehop.cri.v1.PortForwardResponse;
import io.kubehop.cri.v1.RemoveContainerRequest;
import io.kubehop.cri.v1.RemoveContainerResponse;
import io.kubehop.cri.v1.RemovePodSandboxRequest;
import io.kubehop.cri.v1.RemovePodSandboxResponse;
import io.kubehop.cri.v1.RunPodSandboxRequest;
import io.kubehop.cri.v1.RunPodSandboxResponse;
import io.kubehop.cri.v1.RuntimeCondition;
import io.kubehop.cri.v1.RuntimeServiceService;
import io.kubehop.cri.v1.RuntimeStatus;
import io.kubehop.cri.v1.StartContainerRequest;
import io.kubehop.cri.v1.StartContainerResponse;
import io.kubehop.cri.v1.StatusRequest;
import io.kubehop.cri.v1.StatusResponse;
import io.kubehop.cri.v1.StopContainerRequest;
import io.kubehop.cri.v1.StopContainerResponse;
import io.kubehop.cri.v1.StopPodSandboxRequest;
import io.kubehop.cri.v1.StopPodSandboxResponse;
import io.kubehop.cri.v1.VersionRequest;
import io.kubehop.cri.v1.VersionResponse;
import io.kubehop.runtime.container.Container;
import io.kubehop.runtime.container.ContainerManager;
import io.kubehop.runtime.pod.PodSandbox;
import io.kubehop.runtime.pod.PodSandboxManager;
import io.kubehop.streaming.cri.StreamRequests;
import io.kubehop.streaming.cri.StreamingServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.StatusException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The CRI {@code runtime.v1.RuntimeService} over the sandbox and container managers. Quick
 * in-memory calls answer on the event loop; anything that touches processes or files runs on a
 * worker ({@link Vertx#executeBlocking}); stops complete when the processes are gone. Errors travel
 * as gRPC status codes (see {@link CriErrors}).
 */
public final class CriRuntimeService extends RuntimeServiceService {

  private static final Logger LOG = Logger.getLogger(CriRuntimeService.class.getName());

  /** The CRI version this runtime speaks. */
  public static final String RUNTIME_API_VERSION = "v1";

  /** This runtime's name in VersionResponse (crictl prints it). */
  public static final String RUNTIME_NAME = "kubehop";

  /** This runtime's version. */
  public static final String RUNTIME_VERSION = "0.1.0";

  private final Vertx vertx;
  private final PodSandboxManager sandboxes;
  private final ContainerManager containers;
  private final StreamingServer streaming;

  public CriRuntimeService(
      Vertx vertx,
      PodSandboxManager sandboxes,
      ContainerManager containers,
      StreamingServer streaming) {
    this.vertx = vertx;
    this.sandboxes = sandboxes;
    this.containers = containers;
    this.streaming = streaming;
  }

  @Override
  public Future<VersionResponse> version(VersionRequest request) {
    return Future.succeededFuture(
        VersionResponse.newBuilder()
            .setVersion("0.1.0")
            .setRuntimeName(RUNTIME_NAME)
            .setRuntimeVersion(RUNTIME_VERSION)
            .setRuntimeApiVersion(RUNTIME_API_VERSION)
            .build());
  }

  @Override
  public Future<StatusResponse> status(StatusRequest request) {
    return Future.succeededFuture(
        StatusResponse.newBuilder()
            .setStatus(
                RuntimeStatus.newBuilder()
                    .addConditions(
                        RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(true))
                    .addConditions(
                        RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(true)))
            .build());
  }

  @Override
  public Future<RunPodSandboxResponse> runPodSandbox(RunPodSandboxRequest request) {
    return blocking(
        "RunPodSandbox",
        () -> {
          PodSandbox sandbox = sandboxes.run(request.getConfig());
          return RunPodSandboxResponse.newBuilder().setPodSandboxId(sandbox.id()).build();
        });
  }

  @Override
  public Future<StopPodSandboxResponse> stopPodSandbox(StopPodSandboxRequest request) {
    return call(
        "StopPodSandbox",
        () -> {
          PodSandbox sandbox = sandboxes.get(request.getPodSandboxId());
          // containerd kills what is left at once: the kubelet has already stopped containers
          // gracefully
          return signalling(() -> containers.stopSandbox(sandbox.id(), 0))
              .map(
                  v -> {
                    sandboxes.markStopped(sandbox);
                    return StopPodSandboxResponse.getDefaultInstance();
                  });
        });
  }

  @Override
  public Future<RemovePodSandboxResponse> removePodSandbox(RemovePodSandboxRequest request) {
    return call(
        "RemovePodSandbox",
        () -> {
          var sandbox = sandboxes.find(request.getPodSandboxId());
          if (sandbox.isEmpty()) {
            // CRI: "must not return an error if the sandbox has already been removed"
            return Future.succeededFuture(RemovePodSandboxResponse.getDefaultInstance());
          }
          return signalling(() -> containers.removeSandbox(sandbox.get().id()))
              .compose(
                  v ->
                      vertx.executeBlocking(
                          () -> {
                            sandboxes.remove(sandbox.get());
                            return RemovePodSandboxResponse.getDefaultInstance();
                          }));
        });
  }

  @Override
  public Future<PodSandboxStatusResponse> podSandboxStatus(PodSandboxStatusRequest request) {
    return call(
        "PodSandboxStatus",
        () ->
            Future.succeededFuture(
                PodSandboxStatusResponse.newBuilder()
                    .setStatus(sandboxes.get(request.getPodSandboxId()).toStatus())
                    .build()));
  }

  @Override
  public Future<ListPodSandboxResponse> listPodSandbox(ListPodSandboxRequest request) {
    return call(
        "ListPodSandbox",
        () -> {
          ListPodSandboxResponse.Builder response = ListPodSandboxResponse.newBuilder();
          sandboxes.list(request.getFilter()).forEach(s -> response.addItems(s.toListItem()));
          return Future.succeededFuture(response.build());
        });
  }

  @Override
  public Future<CreateContainerResponse> createContainer(CreateContainerRequest request) {
    return call(
        "CreateContainer",
        () -> {
          if (!request.hasConfig()) {
            throw CriErrors.invalidArgument("container config is required");
          }
          Container container = containers.create(request.getPodSandboxId(), request.getConfig());
          return Future.succeededFuture(
              CreateContainerResponse.newBuilder().setContainerId(container.id()).build());
        });
  }

  @Override
  public Future<StartContainerResponse> startContainer(StartContainerRequest request) {
    return blocking(
        "StartContainer",
        () -> {
          containers.start(request.getContainerId());
          return StartContainerResponse.getDefaultInstance();
        });
  }

  @Override
  public Future<StopContainerResponse> stopContainer(StopContainerRequest request) {
    return call(
        "StopContainer",
        () -> {
          containers.get(request.getContainerId()); // NOT_FOUND before going to a worker
          return signalling(() -> containers.stop(request.getContainerId(), request.getTimeout()))
              .map(v -> StopContainerResponse.getDefaultInstance());
        });
  }

  @Override
  public Future<RemoveContainerResponse> removeContainer(RemoveContainerRequest request) {
    return call(
        "RemoveContainer",
        () ->
            signalling(() -> containers.remove(request.getContainerId()))
                .map(v -> RemoveContainerResponse.getDefaultInstance()));
  }

  @Override
  public Future<ListContainersResponse> listContainers(ListContainersRequest request) {
    return call(
        "ListContainers",
        () -> {
          ListContainersResponse.Builder response = ListContainersResponse.newBuilder();
          containers.list(request.getFilter()).forEach(c -> response.addContainers(c.toListItem()));
          return Future.succeededFuture(response.build());
        });
  }

  @Override
  public Future<ContainerStatusResponse> containerStatus(ContainerStatusRequest request) {
    return call(
        "ContainerStatus",
        () ->
            Future.succeededFuture(
                ContainerStatusResponse.newBuilder()
                    .setStatus(containers.get(request.getContainerId()).toStatus())
                    .build()));
  }

  /**
   * Runs a command in the container's context (as streaming exec does: its environment, working
   * directory, PATH) and answers its output and exit code; the kubelet's exec probes use it. A
   * command still running after {@code timeout} seconds (0: no limit) is killed with what it
   * started, and the call fails with DEADLINE_EXCEEDED, which the kubelet reports as a timed-out
   * command, as with containerd. Runs on a worker: it waits for the process.
   */
  @Override
  public Future<ExecSyncResponse> execSync(ExecSyncRequest request) {
    if (request.getCmdCount() == 0) {
      return Future.failedFuture(CriErrors.invalidArgument("no command specified"));
    }
    Container container;
    try {
      container = containers.get(request.getContainerId());
      requireRunning(request.getContainerId());
    } catch (RuntimeException e) {
      logFailure("ExecSync", e);
      return Future.failedFuture(e);
    }
    return blocking("ExecSync", () -> ExecSyncRunner.run(container, request));
  }

  @Override
  public Future<ExecResponse> exec(ExecRequest request) {
    return call(
        "Exec",
        () -> {
          // validated before the container is looked up, so a malformed request is INVALID_ARGUMENT
          // whatever it names
          StreamRequests.validate(request);
          requireRunning(request.getContainerId());
          return Future.succeededFuture(streaming.getExec(request));
        });
  }

  @Override
  public Future<AttachResponse> attach(AttachRequest request) {
    return call(
        "Attach",
        () -> {
          StreamRequests.validate(request);
          requireRunning(request.getContainerId());
          return Future.succeededFuture(streaming.getAttach(request));
        });
  }

  /**
   * NOT_FOUND for an unknown container, FAILED_PRECONDITION (containerd's words) for one that does
   * not run.
   */
  private void requireRunning(String id) {
    if (containers.get(id).state() != ContainerState.CONTAINER_RUNNING) {
      throw CriErrors.failedPrecondition("container not running (" + id + ")");
    }
  }

  @Override
  public Future<PortForwardResponse> portForward(PortForwardRequest request) {
    return call(
        "PortForward",
        () -> {
          // NOT_FOUND for an unknown sandbox; one that is not ready has no network to forward into
          // (containerd's words)
          PodSandbox sandbox = sandboxes.get(request.getPodSandboxId());
          if (sandbox.state() != PodSandboxState.SANDBOX_READY) {
            throw CriErrors.failedPrecondition(
                "sandbox " + request.getPodSandboxId() + " is not ready");
          }
          return Future.succeededFuture(streaming.getPortForward(request));
        });
  }

  /** Runs a quick call on the event loop, turning a thrown StatusException into a failed future. */
  private <T> Future<T> call(String method, Supplier<Future<T>> body) {
    try {
      return body.get().onFailure(e -> logFailure(method, e));
    } catch (RuntimeException e) {
      logFailure(method, e);
      return Future.failedFuture(e);
    }
  }

  /** Runs a blocking call on a worker thread. */
  private <T> Future<T> blocking(String method, Callable<T> body) {
    return vertx.executeBlocking(body, false).onFailure(e -> logFailure(method, e));
  }

  /**
   * Sends signals on a worker (finding a container's processes reads /proc), then completes on this
   * context once the processes are gone.
   */
  private Future<Void> signalling(Callable<CompletionStage<Void>> stop) {
    var context = vertx.getOrCreateContext();
    return vertx
        .executeBlocking(stop, false)
        .compose(stage -> Future.fromCompletionStage(stage, context));
  }

  private static void logFailure(String method, Throwable e) {
    if (e instanceof StatusException status) {
      LOG.info(method + " failed: " + status.status() + " " + status.message());
    } else {
      LOG.log(Level.WARNING, method + " failed: " + e, e);
    }
  }
}
