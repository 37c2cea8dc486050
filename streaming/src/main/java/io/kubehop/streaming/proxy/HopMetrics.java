package io.kubehop.streaming.proxy;

import io.kubehop.streaming.metrics.TierMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;

/**
 * The streaming sessions of a {@link HopRegistry} as meters:
 *
 * <ul>
 *   <li>{@code kubehop_streaming_sessions_active{kind,protocol,join}}: hops held now;
 *   <li>{@code kubehop_streaming_sessions_total{kind,protocol,join}}: hops opened since start;
 *   <li>{@code kubehop_streaming_bytes_total{direction="up"|"down"}}: bytes relayed toward the
 *       backend (up) and toward the client (down), by open and closed hops;
 *   <li>{@code kubehop_streaming_upgrade_seconds{kind,protocol,join}}: a histogram of the time from
 *       an upgrade request's arrival at this tier to both of its sides upgraded.
 * </ul>
 *
 * {@code kind} is {@code exec}, {@code attach} or {@code portforward}, as the tier resolved the
 * request (the apiserver claims the session, the kubelet {@linkplain HopRegistry#expect expects}
 * it); a hop nobody described says {@code portforward} or {@code remotecommand} from its protocol.
 * {@code protocol} is the client side's subprotocol, {@code join} how the two sides are joined
 * ({@code splice}, {@code translated}, {@code tunneled}).
 */
public final class HopMetrics {

  private HopMetrics() {
    throw new AssertionError("No instances.");
  }

  /** Registers the meters of {@code hops} in the tier's {@code metrics}. */
  public static void bind(HopRegistry hops, TierMetrics metrics) {
    MeterRegistry meters = metrics.registry();
    FunctionCounter.builder("kubehop.streaming.bytes", hops, HopRegistry::bytesUp)
        .baseUnit("bytes")
        .description("Bytes relayed by streaming sessions")
        .tag("direction", "up")
        .register(meters);
    FunctionCounter.builder("kubehop.streaming.bytes", hops, HopRegistry::bytesDown)
        .baseUnit("bytes")
        .description("Bytes relayed by streaming sessions")
        .tag("direction", "down")
        .register(meters);
    hops.onUpgraded(
        (hop, took) ->
            Timer.builder("kubehop.streaming.upgrade")
                .description("From an upgrade request's arrival to both sides upgraded")
                .tags(tags(hop))
                .publishPercentileHistogram()
                .register(meters)
                .record(took));
    hops.onOpen(
        hop -> {
          Tags tags = tags(hop);
          // Registering is idempotent: the first hop of each kind, protocol and join makes the
          // gauge, later ones find it.
          Gauge.builder(
                  "kubehop.streaming.sessions.active",
                  hops,
                  h -> h.active().stream().filter(a -> tags(a).equals(tags)).count())
              .description("Streaming sessions held now")
              .tags(tags)
              .register(meters);
          Counter.builder("kubehop.streaming.sessions")
              .description("Streaming sessions opened")
              .tags(tags)
              .register(meters)
              .increment();
        });
  }

  static Tags tags(HopSession hop) {
    String protocol = hop.downstreamProtocol() == null ? "" : hop.downstreamProtocol();
    String kind =
        hop.subject()
            .map(SessionSubject::subresource)
            .orElse(protocol.contains("portforward") ? "portforward" : "remotecommand");
    return Tags.of(
        "kind", kind, "protocol", protocol, "join", hop.kind().name().toLowerCase(Locale.ROOT));
  }
}
