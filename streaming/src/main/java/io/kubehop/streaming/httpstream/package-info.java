/**
 * The seams of apimachinery's {@code util/httpstream}: {@link io.kubehop.streaming.httpstream.StreamConnection},
 * {@link io.kubehop.streaming.httpstream.Stream}, the sub-protocol {@link io.kubehop.streaming.httpstream.Handshake},
 * and header constants.
 */
package io.kubehop.streaming.httpstream;
