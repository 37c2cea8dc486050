package io.kubehop.kubelet.streaming;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an exec or attach goes and what it runs, from {@code
 * /{verb}/{ns}/{pod}[/{uid}]/{container}?command=…} (upstream's {@code getExecRequestParams} in
 * {@code pkg/kubelet/server/server.go}).
 *
 * @param podNamespace the pod's namespace
 * @param podName the pod's name
 * @param podUid the UID from the UID-qualified form, or {@code null}
 * @param containerName the container
 * @param cmd every {@code command} query value, in order (empty for attach)
 */
public record ExecRequestParams(
    String podNamespace, String podName, String podUid, String containerName, List<String> cmd) {

  /**
   * Reads the params from the path segments after the verb ({@code ns/pod/container} or {@code
   * ns/pod/uid/container}) and the decoded query ({@link StreamQuery#decode(String)}); empty when
   * the path matches neither form (upstream's router answers 404 then).
   */
  public static Optional<ExecRequestParams> from(
      List<String> segments, Map<String, List<String>> query) {
    List<String> cmd = List.copyOf(query.getOrDefault("command", List.of()));
    return switch (segments.size()) {
      case 3 ->
          Optional.of(
              new ExecRequestParams(segments.get(0), segments.get(1), null, segments.get(2), cmd));
      case 4 ->
          Optional.of(
              new ExecRequestParams(
                  segments.get(0), segments.get(1), segments.get(2), segments.get(3), cmd));
      default -> Optional.empty();
    };
  }

  /**
   * {@code <name>_<namespace>}, kubecontainer's {@code GetPodFullName}, which some upstream
   * messages print.
   */
  public String podFullName() {
    return podName + "_" + podNamespace;
  }
}
