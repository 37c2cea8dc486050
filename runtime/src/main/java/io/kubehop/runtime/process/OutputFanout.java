package io.kubehop.runtime.process;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Broadcasts a process's output to every subscribed listener: the CRI log writer, and any number of
 * attached clients that join and leave while the process runs (like Docker's broadcaster). Delivery
 * is synchronous on the reader thread, so a slow listener slows the process instead of growing a
 * buffer; attachers therefore subscribe through a {@link BoundedOutputQueue}.
 */
public final class OutputFanout {

  private static final Logger LOG = Logger.getLogger(OutputFanout.class.getName());

  private final CopyOnWriteArrayList<OutputListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean ended;

  /**
   * Adds a listener; it gets every chunk published from now on. Closing the result unsubscribes it.
   */
  public AutoCloseable subscribe(OutputListener listener) {
    listeners.add(listener);
    if (ended) {
      listener.onEnd();
    }
    return () -> listeners.remove(listener);
  }

  /** Whether the output has ended (the process closed all its output streams). */
  public boolean ended() {
    return ended;
  }

  void publish(StreamType stream, byte[] chunk) {
    for (OutputListener listener : listeners) {
      try {
        listener.onOutput(stream, chunk);
      } catch (RuntimeException e) {
        // one broken listener (say, an attacher whose socket failed) must not starve the others
        LOG.log(Level.WARNING, "output listener failed, unsubscribing it: " + e, e);
        listeners.remove(listener);
      }
    }
  }

  void end() {
    ended = true;
    for (OutputListener listener : listeners) {
      listener.onEnd();
    }
  }
}
