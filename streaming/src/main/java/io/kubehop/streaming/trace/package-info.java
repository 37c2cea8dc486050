/**
 * Frame traces: what crosses a tier's sockets, frame by frame, as JSON lines. A raw splice relays
 * bytes without decoding them; when tracing is on for a session, a tap decodes a copy of each
 * direction's bytes after they were written on, so tracing never delays or changes them.
 */
package io.kubehop.streaming.trace;
