/**
 * {@code kubehop trace}: every tier's {@code /debug/sessions} merged into one chain per session
 * ({@link io.kubehop.streaming.inspect.SessionChains}), printed as text or as the JSON that {@code
 * docs/trace-schema.md} describes ({@link ChainPrinter}).
 */
package io.kubehop.client.trace;
