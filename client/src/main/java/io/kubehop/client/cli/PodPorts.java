package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * kubectl port-forward's checks of the ports against the pod (before any port is parsed): a named
 * remote port becomes the container port of that name ({@code convertPodNamedPortToNumber}), and a
 * port that the pod declares only for UDP is refused ({@code checkUDPPortInPod}).
 */
final class PodPorts {

  private PodPorts() {
    throw new AssertionError("No instances.");
  }

  /** {@code splitPort}: {@code [LOCAL:]REMOTE}; anything but two parts is the first part twice. */
  static String[] split(String spec) {
    String[] parts = spec.split(":", -1);
    return parts.length == 2 ? parts : new String[] {parts[0], parts[0]};
  }

  /** The specs with named remote ports replaced by numbers, after the UDP check. */
  static List<String> resolve(List<String> specs, JsonNode pod) {
    checkUdp(specs, pod);
    List<String> converted = new ArrayList<>();
    for (String spec : specs) {
      String[] lr = split(spec);
      String local = lr[0];
      String remote = lr[1];
      if (remote.isEmpty()) {
        throw new CommandException("remote port cannot be empty");
      }
      String number = isAtoi(remote) ? remote : Integer.toString(namedPort(pod, remote));
      converted.add(local.equals(remote) ? number : local + ":" + number);
    }
    return converted;
  }

  private static void checkUdp(List<String> specs, JsonNode pod) {
    Set<Integer> udp = new HashSet<>();
    Set<Integer> tcp = new HashSet<>();
    for (JsonNode c : pod.path("spec").path("containers")) {
      for (JsonNode p : c.path("ports")) {
        int n = p.path("containerPort").asInt();
        String protocol = p.path("protocol").asText("TCP");
        if (protocol.equals("UDP")) {
          udp.add(n);
        } else if (protocol.equals("TCP")) {
          tcp.add(n);
        }
      }
    }
    udp.removeAll(tcp);
    for (String spec : specs) {
      String remote = split(spec)[1];
      int n = isAtoi(remote) ? Integer.parseInt(remote) : namedPort(pod, remote);
      if (udp.contains(n)) {
        throw new CommandException("UDP protocol is not supported for " + remote);
      }
    }
  }

  /** {@code util.LookupContainerPortNumberByName}. */
  private static int namedPort(JsonNode pod, String name) {
    for (JsonNode c : pod.path("spec").path("containers")) {
      for (JsonNode p : c.path("ports")) {
        if (name.equals(p.path("name").asText(""))) { // Go: an unnamed port has the name ""
          return p.path("containerPort").asInt();
        }
      }
    }
    throw new CommandException(
        "Pod '"
            + pod.path("metadata").path("name").asText()
            + "' does not have a named port '"
            + name
            + "'");
  }

  /** Go's {@code strconv.Atoi} accepts an optional sign and decimal digits. */
  private static boolean isAtoi(String s) {
    return s.matches("[+-]?\\d{1,18}");
  }
}
