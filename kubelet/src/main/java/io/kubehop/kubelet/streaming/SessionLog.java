package io.kubehop.kubelet.streaming;

import io.kubehop.streaming.proxy.HopSession;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * The kubelet's log lines for a streaming session, one home for their texts (users and the e2e
 * tests grep them):
 *
 * <pre>
 * session 3f2a… exec default/demo/main opened (splice SPDY/3.1 v5.channel.k8s.io): 127.0.0.1:55098 -&gt;
 *     http://127.0.0.1:46257/exec/WNbX34iS via 127.0.0.1:34188                          (one line)
 * session 3f2a… exec default/demo/main closed after 349 ms: 173 bytes up, 161 bytes down
 * </pre>
 *
 * or one line when the session never opens: {@code refused: …} (CRI said no), {@code to <url>
 * failed: …} (the hop to the runtime failed), {@code redirected to <url>} (redirect mode).
 */
final class SessionLog {

  private static final Logger LOG = Logger.getLogger(SessionLog.class.getName());

  private SessionLog() {
    throw new AssertionError("No instances.");
  }

  /** The runtime refused the stream over CRI; nothing was opened. */
  static void refused(String session, String describe, Throwable cause) {
    LOG.info("session " + session + " " + describe + " refused: " + cause.getMessage());
  }

  /** The kubelet answered with the runtime's URL and keeps no socket of the session. */
  static void redirected(StreamTarget target) {
    LOG.info(
        "session " + target.session() + " " + target.describe() + " redirected to " + target.url());
  }

  /** The hop toward the runtime failed; the forwarder answered the request. */
  static void failed(StreamTarget target, Throwable cause) {
    LOG.info(
        "session "
            + target.session()
            + " "
            + target.describe()
            + " to "
            + target.url()
            + " failed: "
            + cause.getMessage());
  }

  /** The hop opened: one line now, and one with its duration and byte counts when it closes. */
  static void opened(StreamTarget target, HopSession hop) {
    LOG.info(
        "session "
            + hop.id()
            + " "
            + target.describe()
            + " opened ("
            + hop.describe()
            + "): "
            + hop.downstreamRemote()
            + " -> "
            + hop.target()
            + " via "
            + hop.upstreamLocal());
    hop.closeFuture()
        .onComplete(
            v ->
                LOG.info(
                    "session "
                        + hop.id()
                        + " "
                        + target.describe()
                        + " closed after "
                        + Duration.between(hop.opened(), Instant.now()).toMillis()
                        + " ms: "
                        + hop.bytesUp()
                        + " bytes up, "
                        + hop.bytesDown()
                        + " bytes down"));
  }
}
