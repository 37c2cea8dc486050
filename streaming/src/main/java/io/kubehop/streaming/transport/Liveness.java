package io.kubehop.streaming.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * How a tier keeps its streaming sessions alive, or lets them go: one value per tier, from its
 * {@code --streaming-connection-idle-timeout} and {@code --streaming-connection-keepalive} flags.
 *
 * <p>{@code idleTimeout} ends a session after that long without traffic (upstream's 4 h: the
 * kubelet's {@code --streaming-connection-idle-timeout}, containerd's {@code stream_idle_timeout},
 * the apiserver translator's {@code defaultIdleConnectionTimeout}). What counts as traffic follows
 * the protocol's upstream implementation: on SPDY every frame, pings included (spdystream's {@code
 * idleAwareFramer} resets on every frame read or written); on WebSocket every data message, not
 * pings (wsstream resets its deadline per message); on a spliced hop every byte.
 *
 * <p>{@code keepalive} makes the tier send a SPDY PING or a WebSocket ping that often on the
 * connections whose protocol it speaks, so that a middlebox that cuts idle connections (a load
 * balancer's idle timeout) sees traffic on every hop the tier holds. Upstream has no such switch on
 * the servers; its clients ping every 5 s (client-go's SPDY {@code PingPeriod}, the WebSocket
 * executor's heartbeat, the translator's SPDY leg). {@link Duration#ZERO} turns either off.
 */
public record Liveness(Duration idleTimeout, Duration keepalive) {

  /** Upstream's idle timeout of a streaming session. */
  public static final Duration UPSTREAM_IDLE_TIMEOUT = Duration.ofHours(4);

  /** 4 h idle timeout, no keepalives: what upstream's servers do. */
  public static final Liveness DEFAULT = new Liveness(UPSTREAM_IDLE_TIMEOUT, Duration.ZERO);

  public Liveness {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(keepalive, "keepalive");
    if (idleTimeout.isNegative() || keepalive.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (!keepalive.isZero() && keepalive.toMillis() < 1) {
      throw new IllegalArgumentException("keepalive must be at least 1ms, or 0 (off)");
    }
  }

  /** Whether keepalives are sent. */
  public boolean keepsAlive() {
    return !keepalive.isZero();
  }
}
