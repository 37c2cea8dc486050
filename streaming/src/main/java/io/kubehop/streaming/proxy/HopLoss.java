package io.kubehop.streaming.proxy;

import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusException;
import io.kubehop.streaming.remotecommand.StatusWriter;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;

/**
 * What a tier tells the client of an exec or attach whose next hop's connection ended before the
 * session's status came, in the same words whether it translates the session ({@link
 * StreamTranslator}) or splices it ({@link UpgradeAwareProxy}): {@code connection to kubelet node-1
 * (127.0.1.1:10250) lost after 4.2 s}. Upstream says nothing, and client-go reads the cut-off error
 * stream as success.
 */
final class HopLoss {

  private HopLoss() {
    throw new AssertionError("No instances.");
  }

  /**
   * The Failure that names the hop that broke: kubectl prints its message as {@code error: …} and
   * exits 1.
   */
  static Status status(HopSession hop) {
    return Status.failure(
            500,
            "InternalError",
            "connection to "
                + hop.backend().describe()
                + " lost after "
                + String.format(Locale.ROOT, "%.1f", hop.durationMillis() / 1000.0)
                + " s",
            null)
        .bare();
  }

  /**
   * The same as the error stream of {@code protocol} carries it: the bare Status JSON for v4 and
   * v5, its message as plain text for v1 to v3 (client-go then says {@code error executing remote
   * command: …}).
   */
  static Buffer errorStream(HopSession hop, StreamProtocol protocol) {
    return StatusWriter.encode(protocol, new StatusException(status(hop)), "");
  }
}
