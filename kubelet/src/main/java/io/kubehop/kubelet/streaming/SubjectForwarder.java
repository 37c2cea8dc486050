package io.kubehop.kubelet.streaming;

import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.Peer;
import io.kubehop.streaming.proxy.SessionSubject;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Tells the kubelet's {@link HopRegistry} what a session is about before the {@code delegate}
 * relays it (the verb, pod, container and command it resolved, the runtime it dials), so that its
 * hop carries the subject as the apiserver's does, in {@code /debug/sessions} and the metrics.
 */
public final class SubjectForwarder implements StreamForwarder {

  private final HopRegistry hops;
  private final StreamForwarder delegate;

  public SubjectForwarder(HopRegistry hops, StreamForwarder delegate) {
    this.hops = hops;
    this.delegate = delegate;
  }

  @Override
  public void forward(HttpServerRequest request, StreamTarget target) {
    hops.expect(target.session(), subject(request, target));
    delegate.forward(request, target);
  }

  static SessionSubject subject(HttpServerRequest request, StreamTarget target) {
    String kind = target.verb().toLowerCase(Locale.ROOT); // exec, attach, portforward
    // Go's lenient query decoding (Vert.x's params() throws on a malformed pair, Go skips it).
    List<String> command =
        kind.equals("exec")
            ? StreamQuery.decode(request.query()).getOrDefault("command", List.of())
            : List.of();
    URI url = target.url();
    int port = url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    return new SessionSubject(
        kind,
        target.pod(),
        target.container(),
        new Peer("runtime", null, url.getHost() + ":" + port),
        command);
  }
}
