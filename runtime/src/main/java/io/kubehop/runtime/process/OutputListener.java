package io.kubehop.runtime.process;

/**
 * Receives a process's output chunks from an {@link OutputFanout}. Called on the pipe reader
 * threads (one per stream, so possibly concurrently); an implementation that cannot keep up must
 * block (which backpressures the process through its pipe) rather than buffer without bound.
 */
public interface OutputListener {

  /** A chunk of output; the array is not reused by the caller. */
  void onOutput(StreamType stream, byte[] chunk);

  /** All streams reached end of file: no more output will come. */
  default void onEnd() {}
}
