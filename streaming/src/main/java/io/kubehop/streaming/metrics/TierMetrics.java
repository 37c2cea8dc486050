package io.kubehop.streaming.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The metrics of one tier process, served as {@code GET /metrics} in the Prometheus text format.
 * Every meter carries a {@code tier} tag ({@code apiserver}, {@code kubelet}, {@code runtime}), so
 * the three processes' series stay apart when one Prometheus scrapes them all.
 */
public final class TierMetrics implements AutoCloseable {

  /** The path every tier serves its metrics on. */
  public static final String PATH = "/metrics";

  /** The Prometheus text exposition format, version 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  /** A registry tagged with {@code tier}, with the JVM's and the process's meters bound. */
  public TierMetrics(String tier) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("tier", tier);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** Where the tier records its own meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Every meter now, in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  /** Answers {@code GET} (and {@code HEAD}) with {@link #scrape()}, anything else with 405. */
  public void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response()
          .setStatusCode(405)
          .putHeader("Allow", "GET, HEAD")
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("method not allowed\n");
      return;
    }
    req.response().putHeader("Content-Type", CONTENT_TYPE).end(scrape());
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
