package io.kubehop.streaming.proxy;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The streaming hops a tier holds right now, by session id. */
public final class HopRegistry {

  private final ConcurrentMap<String, HopSession> hops = new ConcurrentHashMap<>();

  void add(HopSession hop) {
    hops.put(hop.id(), hop);
    hop.closeFuture().onComplete(v -> hops.remove(hop.id(), hop));
  }

  public Collection<HopSession> active() {
    return List.copyOf(hops.values());
  }

  public int size() {
    return hops.size();
  }
}
