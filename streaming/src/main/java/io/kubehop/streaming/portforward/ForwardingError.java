package io.kubehop.streaming.portforward;

/**
 * What the client is told when forwarding one connection fails, and whether it is told at all.
 *
 * <p><b>Format: plain text</b>, {@code error forwarding port <P> to pod <pod>, uid <uid>: <err>},
 * without a newline, as the kubelet and CRI streaming server write it. A JSON line {@code
 * {"closeConnection":<bool>,"message":"…"}\n} was proposed for the kubelet (kubernetes#117493,
 * closed unmerged) together with client-go code that would have kept the connection on {@code
 * closeConnection:false}; no released client-go parses it. client-go 1.27–1.33 ({@code
 * handleConnection} in {@code tools/portforward/portforward.go}) reads the error stream to EOF and,
 * on <em>any</em> non-empty content, logs {@code an error occurred forwarding L -> R: <content>}
 * and closes the whole SPDY connection (kubernetes#103526, since 1.23); kubectl then exits with
 * {@code lost connection to pod}. Tried with the real binaries: {@code {"closeConnection":false,…}}
 * made kubectl 1.27, 1.29, 1.31 and 1.33 exit exactly like the plain text. JSON thus keeps no
 * kubectl alive and only puts raw JSON in its log.
 *
 * <p><b>Silence unless the pod is gone.</b> The only way to keep kubectl 1.27–1.33 forwarding after
 * a failure is an empty error stream. So a connection the pod reset or stopped reading mid-stream
 * ({@code ECONNRESET}/{@code EPIPE}, e.g. postgres closing a session: kubectl#1169,
 * kubernetes#111825), and a connection to a port where nothing listens (refused), end for the
 * client like an ordinary close: FIN on both streams, nothing on the error stream; the local
 * connection is closed at once without data, and the tier logs the error with the session id.
 * (containerd does this for resets since containerd#8418; upstream reports a refused port, and
 * kubectl then drops every other connection of the forward with it, which is kubectl#1169's
 * complaint.) Only a {@link PodGoneException} from the dialer, a pod that no longer exists, is
 * reported: kubectl stopping is the right reaction there (kubectl#686). Either way this server
 * keeps the SPDY connection and every other pair open; closing it is the client's decision.
 */
final class ForwardingError {

  private ForwardingError() {
    throw new AssertionError("No instances.");
  }

  /**
   * {@code error forwarding port <P> to pod <pod>, uid <uid>: <err>} (upstream's text, {@code %v}
   * of the uid).
   */
  static String message(int port, String pod, String uid, Throwable cause) {
    return "error forwarding port "
        + port
        + " to pod "
        + pod
        + ", uid "
        + (uid == null ? "" : uid)
        + ": "
        + describe(cause);
  }

  /**
   * Whether the client is told (on the error stream): only when the pod is gone (see the class
   * comment).
   */
  static boolean isReported(Throwable cause) {
    return cause instanceof PodGoneException;
  }

  private static String describe(Throwable cause) {
    String m = cause.getMessage();
    return m == null || m.isEmpty() ? cause.getClass().getSimpleName() : m;
  }
}
