package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** core/v1 Container (subset). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Container(
    String name,
    String image,
    List<String> command,
    List<String> args,
    String workingDir,
    List<EnvVar> env,
    List<ContainerPort> ports,
    Boolean stdin,
    Boolean stdinOnce,
    Boolean tty,
    List<VolumeMount> volumeMounts,
    Probe livenessProbe,
    Probe readinessProbe,
    Probe startupProbe) {

  public List<VolumeMount> volumeMounts() {
    return volumeMounts == null ? List.of() : volumeMounts;
  }

  public List<String> command() {
    return command == null ? List.of() : command;
  }

  public List<String> args() {
    return args == null ? List.of() : args;
  }

  public List<EnvVar> env() {
    return env == null ? List.of() : env;
  }

  public List<ContainerPort> ports() {
    return ports == null ? List.of() : ports;
  }

  public boolean wantsStdin() {
    return Boolean.TRUE.equals(stdin);
  }

  public boolean wantsTty() {
    return Boolean.TRUE.equals(tty);
  }
}
