package io.kubehop.streaming.portforward;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;

/**
 * What the client is told when forwarding one connection fails, and whether it is told at all.
 *
 * <p><b>Format: plain text</b>, {@code error forwarding port <P> to pod <pod>, uid <uid>: <err>}, without a newline,
 * as the kubelet and CRI streaming server write it. A JSON line {@code {"closeConnection":<bool>,"message":"…"}\n}
 * was proposed for the kubelet (kubernetes#117493, closed unmerged) together with client-go code that would have
 * kept the connection on {@code closeConnection:false}; no released client-go parses it. client-go 1.27–1.33
 * ({@code handleConnection} in {@code tools/portforward/portforward.go}) reads the error stream to EOF and, on
 * <em>any</em> non-empty content, logs {@code an error occurred forwarding L -> R: <content>} and closes the whole
 * SPDY connection (kubernetes#103526, since 1.23); kubectl then exits with {@code lost connection to pod}. Tried
 * with the real binaries: {@code {"closeConnection":false,…}} made kubectl 1.27, 1.29, 1.31 and 1.33 exit exactly
 * like the plain text. JSON thus keeps no kubectl alive and only puts raw JSON in its log.
 *
 * <p><b>Silence for resets.</b> The only way to keep kubectl 1.27–1.33 forwarding after a failure is an empty error
 * stream. A connection the pod reset or stopped reading mid-stream ({@code ECONNRESET}/{@code EPIPE}, e.g. postgres
 * closing a session: kubectl#1169, kubernetes#111825) is an ordinary end for the client: it gets FIN on both streams
 * and nothing on the error stream, as containerd does since containerd#8418. A dial failure (connection refused, no
 * route) is reported: the pod's port is not there, and kubectl stopping is its intended reaction (kubectl#686: notice
 * a restarted pod). Either way this server keeps the SPDY connection and every other pair open; closing it is the
 * client's decision.
 */
final class ForwardingError {

  private ForwardingError() {
    throw new AssertionError("No instances.");
  }

  /** {@code error forwarding port <P> to pod <pod>, uid <uid>: <err>} (upstream's text, {@code %v} of the uid). */
  static String message(int port, String pod, String uid, Throwable cause) {
    return "error forwarding port " + port + " to pod " + pod + ", uid " + (uid == null ? "" : uid) + ": "
        + describe(cause);
  }

  /** A reset or broken pipe on an established connection: reported by silence (see the class comment). */
  static boolean isReset(Throwable cause) {
    if (cause instanceof ConnectException) {
      return false;
    }
    String m = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    return cause instanceof IOException && (m.contains("connection reset") || m.contains("broken pipe"));
  }

  private static String describe(Throwable cause) {
    String m = cause.getMessage();
    return m == null || m.isEmpty() ? cause.getClass().getSimpleName() : m;
  }
}
