package io.kubehop.kubelet.cri;

import io.kubehop.cri.v1.*;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;

/**
 * The kubelet's CRI client. It makes the same unary calls as the generated {@link
 * RuntimeServiceGrpcClient}, but a failure carries the runtime's status and message ({@link
 * CriException}); the generated client reports only {@code Invalid status: actual:NOT_FOUND,
 * expected:OK}, and the kubelet must show users the runtime's reason.
 */
public final class CriClient implements RuntimeServiceClient {

  private final GrpcClient client;
  private final SocketAddress address;
  private final MeterRegistry meters;

  public CriClient(GrpcClient client, SocketAddress address) {
    this(client, address, null);
  }

  /**
   * A client that times every call in {@code meters} ({@code kubehop_cri_request_seconds}, by
   * {@code method} and gRPC {@code code}); none when null.
   */
  public CriClient(GrpcClient client, SocketAddress address, MeterRegistry meters) {
    this.client = client;
    this.address = address;
    this.meters = meters;
  }

  private <Q, R> Future<R> call(ServiceMethod<R, Q> method, Q request) {
    if (meters == null) {
      return send(method, request);
    }
    Timer.Sample sample = Timer.start(meters);
    return send(method, request)
        .onComplete(
            ar ->
                sample.stop(
                    Timer.builder("kubehop.cri.request")
                        .description("CRI calls of the kubelet to its runtime")
                        .tag("method", method.methodName())
                        .tag(
                            "code",
                            ar.succeeded()
                                ? GrpcStatus.OK.name()
                                : ar.cause() instanceof CriException e
                                    ? e.status().name()
                                    : GrpcStatus.UNKNOWN.name())
                        .publishPercentileHistogram()
                        .register(meters)));
  }

  private <Q, R> Future<R> send(ServiceMethod<R, Q> method, Q request) {
    return client
        .request(address, method)
        .recover(
            e ->
                Future.failedFuture(
                    new CriException(
                        GrpcStatus.UNAVAILABLE, "connection error: " + e.getMessage())))
        .compose(
            req ->
                req.end(request)
                    .compose(v -> req.response())
                    .compose(
                        resp ->
                            resp.last()
                                .recover(
                                    e ->
                                        Future.failedFuture(
                                            resp.status() != null && resp.status() != GrpcStatus.OK
                                                ? new CriException(
                                                    resp.status(), resp.statusMessage())
                                                : new CriException(
                                                    GrpcStatus.UNKNOWN, e.getMessage())))));
  }

  @Override
  public Future<VersionResponse> version(VersionRequest r) {
    return call(RuntimeServiceGrpcClient.Version, r);
  }

  @Override
  public Future<RunPodSandboxResponse> runPodSandbox(RunPodSandboxRequest r) {
    return call(RuntimeServiceGrpcClient.RunPodSandbox, r);
  }

  @Override
  public Future<StopPodSandboxResponse> stopPodSandbox(StopPodSandboxRequest r) {
    return call(RuntimeServiceGrpcClient.StopPodSandbox, r);
  }

  @Override
  public Future<RemovePodSandboxResponse> removePodSandbox(RemovePodSandboxRequest r) {
    return call(RuntimeServiceGrpcClient.RemovePodSandbox, r);
  }

  @Override
  public Future<PodSandboxStatusResponse> podSandboxStatus(PodSandboxStatusRequest r) {
    return call(RuntimeServiceGrpcClient.PodSandboxStatus, r);
  }

  @Override
  public Future<ListPodSandboxResponse> listPodSandbox(ListPodSandboxRequest r) {
    return call(RuntimeServiceGrpcClient.ListPodSandbox, r);
  }

  @Override
  public Future<CreateContainerResponse> createContainer(CreateContainerRequest r) {
    return call(RuntimeServiceGrpcClient.CreateContainer, r);
  }

  @Override
  public Future<StartContainerResponse> startContainer(StartContainerRequest r) {
    return call(RuntimeServiceGrpcClient.StartContainer, r);
  }

  @Override
  public Future<StopContainerResponse> stopContainer(StopContainerRequest r) {
    return call(RuntimeServiceGrpcClient.StopContainer, r);
  }

  @Override
  public Future<RemoveContainerResponse> removeContainer(RemoveContainerRequest r) {
    return call(RuntimeServiceGrpcClient.RemoveContainer, r);
  }

  @Override
  public Future<ListContainersResponse> listContainers(ListContainersRequest r) {
    return call(RuntimeServiceGrpcClient.ListContainers, r);
  }

  @Override
  public Future<ContainerStatusResponse> containerStatus(ContainerStatusRequest r) {
    return call(RuntimeServiceGrpcClient.ContainerStatus, r);
  }

  @Override
  public Future<ExecSyncResponse> execSync(ExecSyncRequest r) {
    return call(RuntimeServiceGrpcClient.ExecSync, r);
  }

  @Override
  public Future<ExecResponse> exec(ExecRequest r) {
    return call(RuntimeServiceGrpcClient.Exec, r);
  }

  @Override
  public Future<AttachResponse> attach(AttachRequest r) {
    return call(RuntimeServiceGrpcClient.Attach, r);
  }

  @Override
  public Future<PortForwardResponse> portForward(PortForwardRequest r) {
    return call(RuntimeServiceGrpcClient.PortForward, r);
  }

  @Override
  public Future<StatusResponse> status(StatusRequest r) {
    return call(RuntimeServiceGrpcClient.Status, r);
  }
}
