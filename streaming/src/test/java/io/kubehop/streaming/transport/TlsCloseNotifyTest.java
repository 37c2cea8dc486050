package io.kubehop.streaming.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two tiers over TLS, as the apiserver and a kubelet: one half-closes with {@link LingeringClose}
 * (close_notify, no FIN), and the other, with {@link VertxInternals#closeOnTlsCloseNotify}, takes
 * that as the end of its input: it gets every byte sent before, then its end, then both sockets
 * close, long before the linger time. (Without it, the receiver saw no end until the sender's
 * linger time ran out.)
 */
class TlsCloseNotifyTest {

  private Vertx vertx;
  private SelfSignedCertificate certificate;
  private int port;
  private NetClient client;
  private final BlockingQueue<NetSocket> accepted = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    certificate = SelfSignedCertificate.create("localhost");
    port =
        vertx
            .createNetServer(
                new NetServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()))
            .connectHandler(
                s -> {
                  s.pause();
                  accepted.add(s);
                })
            .listen(0, "127.0.0.1")
            .await()
            .actualPort();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    certificate.delete();
  }

  private NetSocket connect() {
    // Held in a field: Vert.x 5 closes a client, and its connections, once it is unreachable.
    client =
        vertx.createNetClient(
            new NetClientOptions()
                .setSsl(true)
                .setTrustOptions(certificate.trustOptions())
                .setHostnameVerificationAlgorithm(""));
    return client.connect(port, "localhost").await();
  }

  @Test
  void closeNotifyEndsTheReceiversInputAfterEveryByte() throws Exception {
    NetSocket sender = connect();
    NetSocket receiver = accepted.poll(10, TimeUnit.SECONDS);
    assertTrue(VertxInternals.closeOnTlsCloseNotify(receiver));
    Buffer got = Buffer.buffer();
    Promise<Integer> ended = Promise.promise();
    Promise<Void> receiverClosed = Promise.promise();
    receiver.handler(got::appendBuffer);
    receiver.endHandler(v -> ended.tryComplete(got.length()));
    receiver.closeHandler(v -> receiverClosed.tryComplete());
    receiver.resume();

    byte[] payload = new byte[300_000];
    new Random(7).nextBytes(payload);
    sender.write(Buffer.buffer(payload));
    long started = System.nanoTime();
    LingeringClose.halfClose(sender, Duration.ofMinutes(5)).await(10, TimeUnit.SECONDS);

    assertEquals(
        payload.length, ended.future().await(10, TimeUnit.SECONDS), "bytes before the end");
    assertEquals(Buffer.buffer(payload), got);
    receiverClosed.future().await(10, TimeUnit.SECONDS);
    assertTrue(
        System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10),
        "both closed at once, not after the 5-minute linger");
  }
}
