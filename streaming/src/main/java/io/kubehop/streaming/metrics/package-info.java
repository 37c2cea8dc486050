/**
 * A tier's {@code /metrics}: one Prometheus registry per process (Micrometer), with the JVM and
 * process meters Micrometer provides and whatever the tier binds to it. Beside the protocol layers,
 * not one of them: any layer may record into a registry, none needs this package.
 */
package io.kubehop.streaming.metrics;
