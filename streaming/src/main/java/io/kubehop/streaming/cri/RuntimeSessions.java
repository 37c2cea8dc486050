package io.kubehop.streaming.cri;

import io.kubehop.streaming.inspect.Addresses;
import io.kubehop.streaming.inspect.EndView;
import io.kubehop.streaming.inspect.HopView;
import io.kubehop.streaming.inspect.ProcessView;
import io.kubehop.streaming.inspect.SessionView;
import io.kubehop.streaming.inspect.SessionsView;
import io.kubehop.streaming.remotecommand.server.RemoteCommandStreams;
import io.kubehop.streaming.transport.SocketMeter;
import io.kubehop.streaming.transport.VertxInternals;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streaming server's sessions for {@code /debug/sessions}: for each, the connection it was
 * served on, the process it drives (exec) or the connections it dialled into the pod
 * (port-forward), and, once it ended, how; the last {@value #REMEMBERED} closed ones are kept.
 * Thread-safe.
 */
final class RuntimeSessions {

  static final int REMEMBERED = 200;

  private final Set<Session> active = new LinkedHashSet<>();
  private final Deque<Session> closed = new ArrayDeque<>();

  /** One session, filled in as it goes. */
  static final class Session {
    private final String id;
    private final String kind;
    private final String container;
    private final List<String> command;
    private final boolean tty;
    private final String protocol;
    private final SocketAddress local;
    private final SocketAddress remote;
    private final Instant opened = Instant.now();
    private final SocketMeter.Reading meter;
    private final Map<NetSocket, Optional<SocketMeter.Reading>> dialled = new ConcurrentHashMap<>();
    private volatile RemoteCommandStreams streams;
    private volatile EndView end;
    private volatile Instant endedAt;

    private Session(
        String id,
        String kind,
        String container,
        List<String> command,
        boolean tty,
        String protocol,
        SocketAddress local,
        SocketAddress remote,
        SocketMeter.Reading meter) {
      this.id = id;
      this.kind = kind;
      this.container = container;
      this.command = command;
      this.tty = tty;
      this.protocol = protocol;
      this.local = local;
      this.remote = remote;
      this.meter = meter;
    }

    /** The streams of a remote command, whose process the runtime names once it started. */
    void streams(RemoteCommandStreams streams) {
      this.streams = streams;
    }

    /**
     * A connection a port-forward opened into the pod, held while it is open: a forward that
     * carries thousands of connections keeps only the live ones.
     */
    void dialled(NetSocket socket) {
      dialled.put(socket, SocketMeter.on(socket));
      VertxInternals.channel(socket)
          .ifPresent(c -> c.closeFuture().addListener(f -> dialled.remove(socket)));
    }
  }

  /**
   * A session served on a connection from {@code remote} to {@code local}.
   *
   * @param container the container's id (the runtime knows no pod names)
   * @param meter that connection's meter, where the runtime could reach its socket
   */
  synchronized Session open(
      String id,
      String kind,
      String container,
      List<String> command,
      boolean tty,
      String protocol,
      SocketAddress local,
      SocketAddress remote,
      Optional<SocketMeter.Reading> meter) {
    Session s =
        new Session(
            id,
            kind,
            container,
            List.copyOf(command),
            tty,
            protocol,
            local,
            remote,
            meter.orElse(null));
    active.add(s);
    return s;
  }

  /** How many sessions of {@code kind} ({@code exec}, {@code attach}, {@code portforward}) run. */
  synchronized int active(String kind) {
    return (int) active.stream().filter(s -> s.kind.equals(kind)).count();
  }

  /** Records how {@code session} ended and moves it to the closed ones. */
  synchronized void ended(Session session, EndView end) {
    session.end = end;
    session.endedAt = Instant.now();
    if (active.remove(session)) {
      closed.addLast(session);
      while (closed.size() > REMEMBERED) {
        closed.removeFirst();
      }
    }
  }

  /** Closed sessions first, then the live ones, oldest first. */
  synchronized SessionsView view() {
    long pid = ProcessHandle.current().pid();
    List<SessionView> out = new ArrayList<>();
    for (Session s : closed) {
      out.add(view(s, pid));
    }
    for (Session s : active) {
      out.add(view(s, pid));
    }
    return new SessionsView("runtime", pid, out);
  }

  /** One socket, with its meter's counts where it has one; idle and half-close only while open. */
  private static HopView socket(
      long pid,
      SocketAddress local,
      SocketAddress remote,
      String peer,
      String protocol,
      SocketMeter.Reading meter,
      String opened,
      boolean open) {
    return new HopView(
        "runtime",
        pid,
        Addresses.of(local),
        Addresses.of(remote),
        peer,
        null,
        protocol,
        meter == null ? null : meter.bytesIn(),
        meter == null ? null : meter.bytesOut(),
        opened,
        meter == null || !open ? null : meter.idle().toSeconds(),
        meter == null || !open ? null : meter.halfClosed().orElse(null),
        meter != null && meter.tls() ? Boolean.TRUE : null,
        null);
  }

  private static SessionView view(Session s, long pid) {
    String opened = Addresses.time(s.opened);
    boolean open = s.end == null;
    List<HopView> hops = new ArrayList<>();
    // Who dialled (the kubelet, or the apiserver that followed a redirect) the runtime cannot
    // tell; kubehop trace knows it from the other end of the same connection.
    hops.add(socket(pid, s.local, s.remote, null, s.protocol, s.meter, opened, open));
    if (open) {
      s.dialled.forEach(
          (d, meter) -> {
            if (VertxInternals.channel(d).map(c -> c.isOpen()).orElse(true)) {
              hops.add(
                  socket(
                      pid,
                      d.localAddress(),
                      d.remoteAddress(),
                      "pod",
                      "tcp",
                      meter.orElse(null),
                      opened,
                      true));
            }
          });
    }
    RemoteCommandStreams streams = s.streams;
    ProcessView process =
        streams == null || streams.processId().isEmpty()
            ? null
            : new ProcessView(
                streams.processId().getAsLong(), s.command.isEmpty() ? null : s.command, s.tty);
    Instant end = s.endedAt == null ? Instant.now() : s.endedAt;
    return new SessionView(
        s.id,
        s.kind,
        null,
        null,
        s.container,
        s.command.isEmpty() ? null : s.command,
        open ? "open" : "closed",
        opened,
        Duration.between(s.opened, end).toMillis(),
        open ? hops : hops.subList(0, 1),
        process,
        s.end);
  }
}
