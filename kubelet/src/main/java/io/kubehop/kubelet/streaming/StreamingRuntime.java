package io.kubehop.kubelet.streaming;

import io.kubehop.cri.v1.AttachRequest;
import io.kubehop.cri.v1.ExecRequest;
import io.kubehop.cri.v1.PortForwardRequest;
import io.kubehop.cri.v1.RuntimeServiceClient;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.vertx.core.Future;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * Asks the runtime where a stream is served (kuberuntime's {@code GetExec}/{@code GetAttach}): CRI
 * {@code Exec} and {@code Attach} return a single-use URL on the runtime's streaming server.
 * Port-forward ({@code GetPortForward}, keyed by the sandbox id) belongs here too.
 */
public final class StreamingRuntime {

  private final RuntimeServiceClient cri;
  private volatile URI streamingServer;

  public StreamingRuntime(RuntimeServiceClient cri) {
    this.cri = cri;
  }

  /**
   * CRI {@code Exec}; fails with the runtime's {@link io.kubehop.kubelet.cri.CriException} as it
   * came.
   */
  public Future<URI> exec(String containerId, List<String> cmd, StreamOptions options) {
    return cri.exec(
            ExecRequest.newBuilder()
                .setContainerId(containerId)
                .addAllCmd(cmd)
                .setTty(options.tty())
                .setStdin(options.stdin())
                .setStdout(options.stdout())
                .setStderr(options.stderr())
                .build())
        .compose(response -> url(response.getUrl()));
  }

  /**
   * CRI {@code Attach}. {@code tty} is the container's own setting (its spec), not the request's:
   * whether the process runs in a terminal was decided when it started.
   */
  public Future<URI> attach(String containerId, StreamOptions options, boolean tty) {
    return cri.attach(
            AttachRequest.newBuilder()
                .setContainerId(containerId)
                .setStdin(options.stdin())
                .setTty(tty)
                .setStdout(options.stdout())
                .setStderr(options.stderr())
                .build())
        .compose(response -> url(response.getUrl()));
  }

  /**
   * CRI {@code PortForward} for the pod's sandbox. Over SPDY the ports arrive later in stream
   * headers, so {@code ports} is empty then; a WebSocket port-forward names them in its query.
   */
  public Future<URI> portForward(String sandboxId, List<Integer> ports) {
    return cri.portForward(
            PortForwardRequest.newBuilder().setPodSandboxId(sandboxId).addAllPort(ports).build())
        .compose(response -> url(response.getUrl()));
  }

  /**
   * The runtime's streaming server ({@code http://127.0.0.1:38471}), as its last URL named it;
   * empty until the runtime handed one out.
   */
  public Optional<URI> streamingServer() {
    return Optional.ofNullable(streamingServer);
  }

  private Future<URI> url(String url) {
    if (url.isEmpty()) {
      return Future.failedFuture(
          new IllegalStateException("URL is not set")); // remote_runtime.go's text
    }
    try {
      URI uri = new URI(url);
      streamingServer =
          new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null);
      return Future.succeededFuture(uri);
    } catch (URISyntaxException e) {
      return Future.failedFuture(
          new IllegalStateException("invalid streaming URL " + url + ": " + e.getMessage()));
    }
  }
}
