package io.kubehop.streaming.record;

import java.util.List;

/**
 * What a recording's header says about its session.
 *
 * @param session the session id ({@code X-Kubehop-Session})
 * @param subresource {@code exec} or {@code attach}
 * @param pod {@code namespace/name}
 * @param container the container
 * @param command an exec's command; empty for attach
 * @param user who opened the session, as the apiserver authenticated them; null if unknown
 */
public record RecordingInfo(
    String session,
    String subresource,
    String pod,
    String container,
    List<String> command,
    String user) {

  public RecordingInfo {
    command = command == null ? List.of() : List.copyOf(command);
  }

  /**
   * The command as one line, each argument that a shell would split or expand in single quotes
   * ({@code sh -c 'stty size; echo hi'}), as asciinema's {@code command} field reads.
   */
  public String commandLine() {
    StringBuilder line = new StringBuilder();
    for (String arg : command) {
      if (line.length() > 0) {
        line.append(' ');
      }
      if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+")) {
        line.append(arg);
      } else {
        line.append('\'').append(arg.replace("'", "'\"'\"'")).append('\'');
      }
    }
    return line.toString();
  }
}
