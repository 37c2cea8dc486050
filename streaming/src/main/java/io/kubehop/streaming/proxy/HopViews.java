package io.kubehop.streaming.proxy;

import io.kubehop.streaming.fault.FaultHandler;
import io.kubehop.streaming.inspect.Addresses;
import io.kubehop.streaming.inspect.EndView;
import io.kubehop.streaming.inspect.HopView;
import io.kubehop.streaming.inspect.SessionView;
import io.kubehop.streaming.inspect.SessionsView;
import io.kubehop.streaming.transport.SocketMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A proxying tier's {@link HopRegistry} as the inspector's {@link SessionsView}: each hop is one
 * session with two sockets, the one toward the client side and the one toward the next tier.
 */
public final class HopViews {

  private HopViews() {
    throw new AssertionError("No instances.");
  }

  /**
   * @param tier this tier ({@code apiserver}, {@code kubelet})
   * @param clientRole what connects to this tier ({@code client} at the apiserver, {@code
   *     apiserver} at the kubelet)
   */
  public static SessionsView view(HopRegistry registry, String tier, String clientRole) {
    long pid = ProcessHandle.current().pid();
    List<SessionView> sessions = new ArrayList<>();
    for (HopSession hop : registry.closed()) {
      sessions.add(session(hop, tier, pid, clientRole));
    }
    for (HopSession hop : registry.active()) {
      sessions.add(session(hop, tier, pid, clientRole));
    }
    return new SessionsView(tier, pid, sessions);
  }

  static SessionView session(HopSession hop, String tier, long pid, String clientRole) {
    SessionSubject subject = hop.subject().orElse(null);
    String namespace = null;
    String pod = null;
    if (subject != null && subject.pod() != null) {
      int slash = subject.pod().indexOf('/');
      namespace = slash < 0 ? null : subject.pod().substring(0, slash);
      pod = subject.pod().substring(slash + 1);
    }
    String opened = Addresses.time(hop.opened());
    boolean open = hop.ended().isEmpty();
    String backendRole = backendRole(hop);
    List<HopView> hops =
        Stream.of(
                socket(
                    tier,
                    pid,
                    hop.downstreamLocal(),
                    hop.downstreamRemote(),
                    clientRole,
                    null,
                    hop.downstreamWire(),
                    hop.downstreamMeter().orElse(null),
                    hop.bytesUp(),
                    hop.bytesDown(),
                    opened,
                    open ? hop : null),
                socket(
                    tier,
                    pid,
                    hop.upstreamLocal(),
                    hop.upstreamRemote(),
                    backendRole,
                    backendRole.equals("kubelet") ? hop.backend().name() : null,
                    hop.upstreamWire(),
                    hop.upstreamMeter().orElse(null),
                    hop.bytesDown(),
                    hop.bytesUp(),
                    opened,
                    open ? hop : null))
            .filter(h -> h.local() != null) // a relay that reads its source has no next socket
            .toList();
    EndView end =
        hop.ended()
            .map(
                e ->
                    new EndView(
                        switch (e.first()) {
                          case CLIENT -> clientRole;
                          case BACKEND -> backendRole;
                          case SELF -> tier;
                        },
                        e.how().name().toLowerCase(Locale.ROOT),
                        null,
                        hop.kind() == HopSession.Kind.TRANSLATED ? hop.statusDelivered() : null))
            .orElse(null);
    return new SessionView(
        hop.id(),
        subject == null ? null : subject.subresource(),
        namespace,
        pod,
        subject == null ? null : subject.container(),
        subject == null || subject.command().isEmpty() ? null : subject.command(),
        end == null ? "open" : "closed",
        opened,
        hop.durationMillis(),
        hops,
        null,
        end);
  }

  /**
   * One socket of {@code hop}: its meter's counts where it has one (the socket's own bytes, as the
   * kernel counts them), else the hop's payload counters ({@code in}, {@code out}); idle time and
   * half-close state only while {@code open} is the hop (null once it ended).
   */
  private static HopView socket(
      String tier,
      long pid,
      io.vertx.core.net.SocketAddress local,
      io.vertx.core.net.SocketAddress remote,
      String peer,
      String node,
      String protocol,
      SocketMeter.Reading meter,
      long in,
      long out,
      String opened,
      HopSession open) {
    Long idle = null;
    String halfClosed = null;
    List<String> faults = null;
    if (meter != null) {
      if (open != null) {
        List<String> active = FaultHandler.active(meter.channel());
        faults = active.isEmpty() ? null : active;
      }
      in = meter.bytesIn();
      out = meter.bytesOut();
      if (open != null) {
        idle = meter.idle().toSeconds();
        halfClosed = meter.halfClosed().orElse(null);
      }
    } else if (open != null && open.kind() != HopSession.Kind.RELAYED) {
      // A relay's payload count does not say when the last byte went.
      idle = open.idle().toSeconds();
    }
    return new HopView(
        tier,
        pid,
        Addresses.of(local),
        Addresses.of(remote),
        peer,
        node,
        protocol,
        in,
        out,
        opened,
        idle,
        halfClosed,
        meter != null && meter.tls() ? Boolean.TRUE : null,
        faults);
  }

  /**
   * The role of what this tier dialled: the subject's backend, unless the socket went elsewhere (a
   * redirect the apiserver followed leads straight to the runtime).
   */
  static String backendRole(HopSession hop) {
    Peer backend = hop.backend();
    String remote = Addresses.of(hop.upstreamRemote());
    if (hop.subject().isPresent() && remote != null && !remote.equals(backend.address())) {
      return "runtime";
    }
    return backend.role();
  }
}
