package io.kubehop.streaming.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One streaming session as one tier sees it.
 *
 * @param id the session id every hop carries ({@code X-Kubehop-Session})
 * @param kind {@code exec}, {@code attach} or {@code portforward}
 * @param namespace the pod's namespace, where the tier knows it
 * @param pod the pod's name, where the tier knows it
 * @param container the container (exec, attach)
 * @param command the command asked for (exec)
 * @param state {@code open} or {@code closed}
 * @param openedAt when it opened at this tier (RFC 3339, UTC, milliseconds)
 * @param durationMillis from then to its end, or to now
 * @param hops the sockets this tier holds (held) for it
 * @param process the process it drives (the runtime)
 * @param ended how it ended; absent while open
 * @param apiserver the id ({@code --apiserver-id}) of the apiserver that holds it: an apiserver
 *     names itself on each session it reports, and a merged chain keeps the name; absent where no
 *     apiserver reported the session
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionView(
    String id,
    String kind,
    String namespace,
    String pod,
    String container,
    List<String> command,
    String state,
    String openedAt,
    long durationMillis,
    List<HopView> hops,
    ProcessView process,
    EndView ended,
    String apiserver) {

  public SessionView {
    command = command == null ? null : List.copyOf(command);
    hops = List.copyOf(hops);
  }

  /** A session no apiserver has named itself on (a kubelet's or a runtime's report). */
  public SessionView(
      String id,
      String kind,
      String namespace,
      String pod,
      String container,
      List<String> command,
      String state,
      String openedAt,
      long durationMillis,
      List<HopView> hops,
      ProcessView process,
      EndView ended) {
    this(
        id,
        kind,
        namespace,
        pod,
        container,
        command,
        state,
        openedAt,
        durationMillis,
        hops,
        process,
        ended,
        null);
  }

  /** This session as held by the apiserver {@code id}. */
  public SessionView withApiserver(String id) {
    return new SessionView(
        this.id,
        kind,
        namespace,
        pod,
        container,
        command,
        state,
        openedAt,
        durationMillis,
        hops,
        process,
        ended,
        id);
  }
}
