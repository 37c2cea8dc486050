package io.kubehop.api.version;

/**
 * A build's version, apimachinery's {@code version.Info}: what the apiserver answers on {@code
 * /version} (and {@code kubectl version} prints as the server version), and what the kubelet
 * reports as the Node's {@code nodeInfo.kubeletVersion}. Every tier reports the one value {@link
 * #get()} returns, as every component of a Kubernetes build reports component-base's {@code
 * version.Get()}.
 *
 * @param major {@code 1}
 * @param minor {@code 30}
 * @param gitVersion {@code v1.30.0-kubehop}: semantic, with a {@code v}, as kubectl parses it for
 *     its skew warning
 * @param gitCommit the commit, 40 hex digits
 * @param gitTreeState {@code clean}
 * @param buildDate RFC 3339
 * @param goVersion the Go release a client expects in this field
 * @param compiler {@code gc}
 * @param platform {@code linux/amd64}
 */
public record VersionInfo(
    String major,
    String minor,
    String gitVersion,
    String gitCommit,
    String gitTreeState,
    String buildDate,
    String goVersion,
    String compiler,
    String platform) {

  /**
   * Kubernetes 1.30, the middle of the kubectl range kubehop serves (1.27–1.33), so that no kubectl
   * of that range is more than three minors away; {@code -kubehop} says what runs behind it.
   */
  private static final VersionInfo KUBEHOP =
      new VersionInfo(
          "1",
          "30",
          "v1.30.0-kubehop",
          "0000000000000000000000000000000000000000",
          "clean",
          "2026-01-01T00:00:00Z",
          "go1.22.0",
          "gc",
          "linux/amd64");

  /** The version every kubehop tier reports. */
  public static VersionInfo get() {
    return KUBEHOP;
  }
}
