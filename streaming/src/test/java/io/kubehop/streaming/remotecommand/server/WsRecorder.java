package io.kubehop.streaming.remotecommand.server;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.http.WebSocket;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Records what a test WebSocket client receives: one entry per message, {@code B <hex>} for binary,
 * {@code T <text>} for text, and finally {@code close <code>} when the connection is closed.
 */
public final class WsRecorder {

  public final List<String> events = new CopyOnWriteArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile boolean closed;

  public WsRecorder(WebSocket ws) {
    ws.frameHandler(f -> {
      if (f.isText() || f.isBinary()) {
        partial.setLength(0);
        partial.append(f.isText() ? "T " : "B ");
      }
      if (f.isText() || f.isBinary() || f.isContinuation()) {
        partial.append(partial.charAt(0) == 'T' ? f.textData() : HexFormat.of().formatHex(f.binaryData().getBytes()));
        if (f.isFinal()) {
          events.add(partial.toString());
        }
      }
    });
    ws.closeHandler(v -> {
      events.add("close " + ws.closeStatusCode());
      closed = true;
    });
  }

  public boolean closed() {
    return closed;
  }

  public void awaitClosed() {
    waitFor(this::closed, "the connection to close; got " + events);
  }

  public static void waitFor(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what);
      }
      try {
        Thread.sleep(10); // polling a condition with a deadline, not sleeping as synchronisation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  public static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
