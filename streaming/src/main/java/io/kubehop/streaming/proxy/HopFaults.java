package io.kubehop.streaming.proxy;

import io.kubehop.streaming.fault.FaultHandler;
import io.kubehop.streaming.fault.FaultTable;
import io.kubehop.streaming.fault.Hop;

/**
 * Puts a {@link FaultHandler} on the sockets of every hop a {@link HopRegistry} holds from now on:
 * on the client's socket for {@code downstream}, on the one dialled to the backend for {@code
 * upstream} (either may be null: that side is another tier's to play). Only streaming sessions'
 * sockets: ordinary API requests never meet a fault. A handler is removed when its session ends,
 * should the connection outlive it (a relayed log on a kept-alive connection).
 */
public final class HopFaults {

  private HopFaults() {
    throw new AssertionError("No instances.");
  }

  public static void bind(HopRegistry hops, FaultTable table, Hop downstream, Hop upstream) {
    hops.onOpen(
        hop -> {
          if (downstream != null) {
            hop.downstreamMeter()
                .map(m -> FaultHandler.on(m, table, downstream, hop.id(), false))
                .ifPresent(remove -> hop.closeFuture().onComplete(v -> remove.run()));
          }
          if (upstream != null) {
            hop.upstreamMeter()
                .map(m -> FaultHandler.on(m, table, upstream, hop.id(), true))
                .ifPresent(remove -> hop.closeFuture().onComplete(v -> remove.run()));
          }
        });
  }
}
