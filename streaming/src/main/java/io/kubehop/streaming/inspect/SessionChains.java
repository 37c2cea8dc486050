package io.kubehop.streaming.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges what the tiers report into one {@link SessionView} per session id: the subject from the
 * first tier that knows it (the apiserver before the kubelets, the kubelets before the runtimes),
 * every tier's sockets in that order, the runtime's process, the apiserver that holds it, and the
 * first tier's end. A socket whose tier could not name its peer (the runtime cannot tell who
 * dialled it) gets the tier at the other end of the same connection, found by its addresses.
 */
public final class SessionChains {

  private SessionChains() {
    throw new AssertionError("No instances.");
  }

  /** {@code views} in tier order: apiserver, kubelets, runtimes. */
  public static List<SessionView> merge(List<SessionsView> views) {
    Map<String, List<SessionView>> byId = new LinkedHashMap<>();
    for (SessionsView view : views) {
      for (SessionView s : view.sessions()) {
        byId.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s);
      }
    }
    List<SessionView> merged = new ArrayList<>();
    for (List<SessionView> parts : byId.values()) {
      merged.add(join(parts));
    }
    List<HopView> all = merged.stream().flatMap(s -> s.hops().stream()).toList();
    return merged.stream().map(s -> withPeers(s, all)).toList();
  }

  private static SessionView join(List<SessionView> parts) {
    SessionView first = parts.get(0);
    String kind = null;
    String namespace = null;
    String pod = null;
    String container = null;
    List<String> command = null;
    ProcessView process = null;
    EndView ended = first.ended();
    String apiserver = null;
    boolean open = false;
    List<HopView> hops = new ArrayList<>();
    for (SessionView p : parts) {
      kind = kind != null ? kind : p.kind();
      namespace = namespace != null ? namespace : p.namespace();
      pod = pod != null ? pod : p.pod();
      container = container != null || p.pod() == null ? container : p.container();
      command = command != null ? command : p.command();
      process = process != null ? process : p.process();
      apiserver = apiserver != null ? apiserver : p.apiserver();
      open |= "open".equals(p.state());
      hops.addAll(p.hops());
    }
    if (container == null && parts.size() == 1) {
      container = first.container();
    }
    return new SessionView(
        first.id(),
        kind,
        namespace,
        pod,
        container,
        command,
        open ? "open" : "closed",
        first.openedAt(),
        first.durationMillis(),
        hops,
        process,
        ended,
        apiserver);
  }

  private static SessionView withPeers(SessionView s, List<HopView> all) {
    List<HopView> hops = new ArrayList<>();
    for (HopView hop : s.hops()) {
      HopView h = hop;
      if (h.peer() == null) {
        String peer =
            all.stream()
                .filter(o -> hop.remote() != null && hop.remote().equals(o.local()))
                .filter(o -> hop.local() != null && hop.local().equals(o.remote()))
                .map(HopView::tier)
                .findFirst()
                .orElse(null);
        h =
            new HopView(
                h.tier(),
                h.pid(),
                h.local(),
                h.remote(),
                peer,
                h.node(),
                h.protocol(),
                h.bytesIn(),
                h.bytesOut(),
                h.openedAt(),
                h.idleSeconds(),
                h.halfClosed(),
                h.tls(),
                h.faults());
      }
      hops.add(h);
    }
    return new SessionView(
        s.id(),
        s.kind(),
        s.namespace(),
        s.pod(),
        s.container(),
        s.command(),
        s.state(),
        s.openedAt(),
        s.durationMillis(),
        hops,
        s.process(),
        s.ended(),
        s.apiserver());
  }
}
