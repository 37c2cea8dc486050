package io.kubehop.streaming.portforward;

import io.kubehop.streaming.httpstream.Stream;

/**
 * The error and data streams of one forwarded connection, paired by {@code requestid} ({@code
 * httpStreamPair}).
 */
final class StreamPair {

  final String requestId;
  Stream errorStream;
  Stream dataStream;
  long timer = -1;

  StreamPair(String requestId) {
    this.requestId = requestId;
  }

  /**
   * Adds a stream of {@code type}; the message is upstream's when that type is already assigned.
   */
  String add(String type, Stream stream) {
    if (type.equals(PortForwardServer.STREAM_TYPE_ERROR)) {
      if (errorStream != null) {
        return "error stream already assigned";
      }
      errorStream = stream;
    } else {
      if (dataStream != null) {
        return "data stream already assigned";
      }
      dataStream = stream;
    }
    return null;
  }

  boolean complete() {
    return errorStream != null && dataStream != null;
  }
}
