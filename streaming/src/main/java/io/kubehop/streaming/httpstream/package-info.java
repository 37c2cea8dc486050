/**
 * The seams of apimachinery's {@code util/httpstream}: {@link
 * io.kubehop.streaming.httpstream.StreamConnection}, {@link
 * io.kubehop.streaming.httpstream.Stream}, the sub-protocol {@link
 * io.kubehop.streaming.httpstream.Handshake}, a stream's headers ({@link
 * io.kubehop.streaming.httpstream.HeaderBlock}, {@link io.kubehop.streaming.httpstream.StreamType})
 * and header constants. SPDY and WebSocket both implement these; neither is known here. Their
 * streams share {@link io.kubehop.streaming.httpstream.MultiplexedStream}: one read side, {@link
 * io.kubehop.streaming.httpstream.InboundQueue} (demand, high-water mark, end after data), and one
 * write-side drain handler, {@link io.kubehop.streaming.httpstream.DrainSignal}. Why a stream or
 * its connection failed is a {@link io.kubehop.streaming.httpstream.StreamException}, one type per
 * reason.
 */
package io.kubehop.streaming.httpstream;
