package io.kubehop.kubelet.streaming;

import io.kubehop.streaming.remotecommand.StreamOptions;
import java.net.URI;

/**
 * One streaming request the kubelet has resolved: which session, what it asks for, and the runtime
 * URL that serves it.
 *
 * @param session the session id ({@code X-Kubehop-Session}, minted by the first tier that saw the
 *     session)
 * @param verb {@code exec}, {@code attach} or {@code portForward}
 * @param pod {@code namespace/name}
 * @param container the container, or {@code null} for a pod-level stream (port-forward)
 * @param url the runtime's streaming URL, e.g. {@code http://127.0.0.1:38471/exec/AbCdEf12}
 * @param options the streams asked for (exec/attach; {@code null} for port-forward)
 */
public record StreamTarget(
    String session, String verb, String pod, String container, URI url, StreamOptions options) {

  /** {@code exec default/demo/main}, for log lines. */
  public String describe() {
    return describe(verb, pod, container);
  }

  /** {@link #describe()} of a stream whose session and URL are not known yet. */
  static String describe(String verb, String pod, String container) {
    return verb + " " + pod + (container == null ? "" : "/" + container);
  }
}
