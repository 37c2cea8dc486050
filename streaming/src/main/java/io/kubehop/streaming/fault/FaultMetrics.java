package io.kubehop.streaming.fault;

import io.kubehop.streaming.metrics.TierMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;

/**
 * A tier's fault rules as meters, one series per hop it plays and fault type (zero while none is
 * active, so a dashboard sees a fault come and go):
 *
 * <ul>
 *   <li>{@code kubehop_faults_active{hop,fault}}: rules held now;
 *   <li>{@code kubehop_fault_events_total{hop,fault}}: what faults did to sockets (resets sent,
 *       idle connections cut).
 * </ul>
 */
public final class FaultMetrics {

  private FaultMetrics() {
    throw new AssertionError("No instances.");
  }

  public static void bind(FaultTable table, Set<Hop> hops, TierMetrics metrics) {
    MeterRegistry meters = metrics.registry();
    for (Hop hop : hops) {
      for (String type : Fault.TYPES) {
        Gauge.builder("kubehop.faults.active", table, t -> t.active(hop, type))
            .description("Fault rules active on a hop")
            .tag("hop", hop.label())
            .tag("fault", type)
            .register(meters);
        FunctionCounter.builder("kubehop.fault.events", table, t -> t.events(hop, type))
            .description("Sockets reset or cut by injected faults")
            .tag("hop", hop.label())
            .tag("fault", type)
            .register(meters);
      }
    }
  }
}
