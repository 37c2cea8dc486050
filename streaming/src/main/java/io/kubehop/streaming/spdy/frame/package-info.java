/**
 * SPDY/3.1 framing: immutable frame values, an incremental decoder that reports errors as events,
 * and an encoder; header blocks use one zlib context per direction per connection with the SPDY/3
 * dictionary.
 *
 * <p>Hand-written rather than Netty's {@code SpdyFrameDecoder}/{@code SpdyFrameEncoder}: Netty's
 * zlib header-block classes are package-private (so the zlib half had to be ours anyway), its
 * decoder reports errors as bare strings (no stream id or GOAWAY status), and the framing itself is
 * small; values are Vert.x Buffers end to end.
 */
package io.kubehop.streaming.spdy.frame;
