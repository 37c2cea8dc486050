package io.kubehop.runtime.streaming;

import io.kubehop.cri.v1.PodSandboxState;
import io.kubehop.runtime.container.ContainerManager;
import io.kubehop.runtime.pod.PodSandbox;
import io.kubehop.runtime.pod.PodSandboxManager;
import io.kubehop.streaming.cri.StreamingServer;
import io.kubehop.streaming.portforward.PodGoneException;
import io.kubehop.streaming.remotecommand.server.RemoteCommandStreams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This runtime's side of the CRI streaming server: an exec is a real process in the container's
 * context ({@link ExecSession}), an attach joins the container's main process ({@link
 * AttachSession}), and a port-forward dials the sandbox's IP (its own loopback address here) at the
 * requested port. A container removed since its token was issued fails the session in-band with
 * NOT_FOUND's text.
 */
public final class ProcessStreamingRuntime implements StreamingServer.Runtime {

  private final Vertx vertx;
  private final ContainerManager containers;
  private final PodSandboxManager sandboxes;

  /** Dials pods for port-forward: a connection per forwarded connection, never pooled. */
  private final NetClient dialClient;

  /** Numbers the sessions' names (their threads and log lines). */
  private final AtomicLong sessions = new AtomicLong();

  public ProcessStreamingRuntime(
      Vertx vertx, ContainerManager containers, PodSandboxManager sandboxes) {
    this.vertx = vertx;
    this.containers = containers;
    this.sandboxes = sandboxes;
    this.dialClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000));
  }

  @Override
  public Future<Integer> exec(String containerId, List<String> cmd, RemoteCommandStreams streams) {
    return new ExecSession(
            vertx, containers.get(containerId), cmd, "exec-" + sessions.incrementAndGet())
        .execute(streams);
  }

  @Override
  public Future<Integer> attach(String containerId, RemoteCommandStreams streams) {
    return new AttachSession(
            vertx, containers.get(containerId), "attach-" + sessions.incrementAndGet())
        .execute(streams);
  }

  @Override
  public Optional<StreamingServer.PortForwardTarget> portForward(String podSandboxId) {
    return sandboxes
        .find(podSandboxId)
        .map(
            sandbox ->
                new StreamingServer.PortForwardTarget(
                    sandbox.ip(), port -> dial(podSandboxId, sandbox.ip(), port)));
  }

  /**
   * A connection to the sandbox's port, unless the sandbox has gone or stopped since the session
   * began.
   */
  private Future<NetSocket> dial(String sandboxId, String ip, int port) {
    Optional<PodSandbox> now = sandboxes.find(sandboxId);
    if (now.isEmpty() || now.get().state() != PodSandboxState.SANDBOX_READY) {
      return Future.failedFuture(new PodGoneException("pod sandbox " + sandboxId + " is gone"));
    }
    return dialClient.connect(port, ip);
  }
}
