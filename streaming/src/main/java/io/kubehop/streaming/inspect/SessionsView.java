package io.kubehop.streaming.inspect;

import java.util.List;

/**
 * A tier's answer to {@code GET /debug/sessions}: its live sessions, then the closed ones it
 * remembers, oldest first.
 *
 * @param tier {@code apiserver}, {@code kubelet} or {@code runtime}
 * @param pid the tier's process
 * @param sessions what it knows
 */
public record SessionsView(String tier, long pid, List<SessionView> sessions) {

  public SessionsView {
    sessions = List.copyOf(sessions);
  }
}
