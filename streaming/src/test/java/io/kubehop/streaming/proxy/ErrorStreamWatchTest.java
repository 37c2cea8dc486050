package io.kubehop.streaming.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.spdy.frame.Golden;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The watch of a spliced SPDY exec, fed kubectl's own bytes (golden/spdy/kubectl-exec.hex): the
 * frame it adds when the backend is gone, byte for byte, and each reason not to add one.
 */
class ErrorStreamWatchTest {

  private static final Map<String, Buffer> KUBECTL = Golden.load("kubectl-exec.hex");

  /** What the apiserver says when the kubelet went away at once (v4 and v5: a bare Status). */
  private static final String KUBELET_LOST_V4 =
      "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"connection to kubelet node-1"
          + " (127.0.1.1:10250) lost after 0.0 s\",\"reason\":\"InternalError\",\"code\":500}";

  /** The frame that carries it to kubectl. */
  private static final Buffer KUBELET_LOST_FRAME =
      Golden.unhex("00000001 01 000092") // DATA stream=1 (error) flags=FIN length=146
          .appendString(KUBELET_LOST_V4);

  private final ErrorStreamWatch watch = new ErrorStreamWatch();

  /** kubectl opens its error stream (1) and stdout (3); the kubelet replies to both. */
  private void execUnderWay() {
    byteByByte(KUBECTL.get("syn-stream-error"), watch::towardBackend);
    byteByByte(KUBECTL.get("syn-reply-1"), watch::towardClient);
    byteByByte(KUBECTL.get("syn-stream-stdout"), watch::towardBackend);
    byteByByte(KUBECTL.get("syn-reply-3"), watch::towardClient);
  }

  @Test
  void theBackendGoneUnansweredTheClientGetsTheFailureOnItsErrorStreamWithFin() {
    execUnderWay();
    watch.towardClient(Golden.unhex("00000003 00 000003 68690a")); // stdout "hi\n"

    Optional<Buffer> frame = watch.lastWords(Buffer.buffer(KUBELET_LOST_V4));

    assertEquals(Golden.hex(KUBELET_LOST_FRAME), frame.map(Golden::hex).orElse("none"));
  }

  @Test
  void theStatusIsTheTranslatorsAsTheProtocolCarriesIt() {
    HopSession hop = kubeletHop();
    hop.end(SessionEnd.Side.BACKEND, SessionEnd.How.CLOSED);
    assertEquals(
        KUBELET_LOST_V4,
        HopLoss.errorStream(hop, StreamProtocol.V4).toString(StandardCharsets.UTF_8));
    assertEquals(
        KUBELET_LOST_V4,
        HopLoss.errorStream(hop, StreamProtocol.V5).toString(StandardCharsets.UTF_8));
    assertEquals(
        "connection to kubelet node-1 (127.0.1.1:10250) lost after 0.0 s",
        HopLoss.errorStream(hop, StreamProtocol.V3).toString(StandardCharsets.UTF_8),
        "v1 to v3 carry plain text");
  }

  @Test
  void notWhenTheBackendAlreadySentTheStatus() {
    execUnderWay();
    watch.towardClient(
        Golden.unhex("00000001 00 000022")
            .appendString("{\"metadata\":{},\"status\":\"Success\"}"));
    assertEquals(Optional.empty(), watch.lastWords(Buffer.buffer(KUBELET_LOST_V4)));
  }

  @Test
  void notWhenTheBackendEndedTheErrorStreamEmpty() {
    execUnderWay();
    watch.towardClient(Golden.unhex("00000001 01 000000")); // FIN, no data: v1-v3's success
    assertEquals(Optional.empty(), watch.lastWords(Buffer.buffer(KUBELET_LOST_V4)));
  }

  @Test
  void notWhenTheBackendResetTheErrorStream() {
    execUnderWay();
    watch.towardClient(Golden.unhex("80030003 00 000008 00000001 00000005")); // RST_STREAM CANCEL
    assertEquals(Optional.empty(), watch.lastWords(Buffer.buffer(KUBELET_LOST_V4)));
  }

  @Test
  void notInTheMiddleOfAFrameTheBackendLeftHalfSent() {
    execUnderWay();
    watch.towardClient(Golden.unhex("00000003 00 000010 6869")); // 2 of 16 stdout bytes
    assertEquals(Optional.empty(), watch.lastWords(Buffer.buffer(KUBELET_LOST_V4)));
  }

  @Test
  void notBeforeTheClientNamedItsErrorStream() {
    byteByByte(KUBECTL.get("syn-stream-stdout"), watch::towardBackend);
    assertEquals(Optional.empty(), watch.lastWords(Buffer.buffer(KUBELET_LOST_V4)));
  }

  @Test
  void notAfterBytesItCannotFollowTowardTheBackend() {
    watch.towardBackend(Golden.unhex("00000000 00 000000")); // DATA on stream 0: out of sync
    byteByByte(KUBECTL.get("syn-stream-error"), watch::towardBackend);
    assertEquals(Optional.empty(), watch.lastWords(Buffer.buffer(KUBELET_LOST_V4)));
  }

  @Test
  void onlyExecAndAttachAreWatched() {
    HopSession hop = kubeletHop();
    assertEquals(
        Optional.of(StreamProtocol.V4), UpgradeAwareProxy.remoteCommand(hop, "v4.channel.k8s.io"));
    hop.attach(
        new SessionSubject(
            "portforward", "default/web", null, new Peer("kubelet", "node-1", "127.0.1.1:10250")),
        "kubelet");
    assertTrue(UpgradeAwareProxy.remoteCommand(hop, "portforward.k8s.io").isEmpty());
    HopSession unknown = kubeletHop();
    unknown.attach(null, "kubelet");
    assertTrue(UpgradeAwareProxy.remoteCommand(unknown, "portforward.k8s.io").isEmpty());
    assertTrue(UpgradeAwareProxy.remoteCommand(unknown, null).isEmpty());
    assertEquals(
        Optional.of(StreamProtocol.V5),
        UpgradeAwareProxy.remoteCommand(unknown, "v5.channel.k8s.io"));
  }

  /** An exec hop of the apiserver toward kubelet node-1. */
  private static HopSession kubeletHop() {
    HopSession hop =
        new HopSession(
            "s-1",
            "https://127.0.1.1:10250/exec/default/demo/main",
            HopSession.Kind.SPLICE,
            "v4.channel.k8s.io",
            "v4.channel.k8s.io",
            SocketAddress.inetSocketAddress(6443, "127.0.0.1"),
            SocketAddress.inetSocketAddress(50000, "127.0.0.1"),
            SocketAddress.inetSocketAddress(50001, "127.0.0.1"),
            SocketAddress.inetSocketAddress(10250, "127.0.1.1"),
            () -> {});
    hop.attach(
        new SessionSubject(
            "exec", "default/demo", "main", new Peer("kubelet", "node-1", "127.0.1.1:10250")),
        "kubelet");
    return hop;
  }

  private static void byteByByte(Buffer bytes, java.util.function.Consumer<Buffer> to) {
    for (int i = 0; i < bytes.length(); i++) {
      to.accept(bytes.getBuffer(i, i + 1));
    }
  }
}
