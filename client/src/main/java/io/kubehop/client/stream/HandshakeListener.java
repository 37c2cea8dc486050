package io.kubehop.client.stream;

import io.kubehop.streaming.remotecommand.client.Upgrade;
import java.util.List;

/**
 * What the CLI learns about each upgrade attempt of a streaming command: what was asked, and how it
 * was answered. {@code -v=6} prints these ({@link HandshakeLog}); the command itself records the
 * session id and the time of the 101.
 */
public interface HandshakeListener {

  /** An attempt starts: {@code GET} (WebSocket) or {@code POST} (SPDY) to {@code url}. */
  default void attempt(String transport, String method, String url, List<String> offered) {}

  /** The upgrade succeeded. */
  default void upgraded(Upgrade upgrade) {}

  /** The attempt failed before or at the upgrade. */
  default void failed(String transport, Throwable cause) {}

  /** Both listeners, in order. */
  default HandshakeListener andThen(HandshakeListener next) {
    HandshakeListener first = this;
    return new HandshakeListener() {
      @Override
      public void attempt(String transport, String method, String url, List<String> offered) {
        first.attempt(transport, method, url, offered);
        next.attempt(transport, method, url, offered);
      }

      @Override
      public void upgraded(Upgrade upgrade) {
        first.upgraded(upgrade);
        next.upgraded(upgrade);
      }

      @Override
      public void failed(String transport, Throwable cause) {
        first.failed(transport, cause);
        next.failed(transport, cause);
      }
    };
  }
}
