/**
 * What each tier serves on {@code GET /debug/sessions}: its streaming sessions, live and recently
 * closed, with every socket it holds for each, as the kernel names them. The values here are the
 * wire schema that {@code kubehop trace} merges into one chain per session. Beside the protocol
 * layers, not one of them.
 */
package io.kubehop.streaming.inspect;
