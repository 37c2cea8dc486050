package io.kubehop.client.cp;

/**
 * One argument of {@code cp}: {@code [[namespace/]pod:]file/path} (kubectl's {@code fileSpec}).
 * {@code pod} is null for a local path; {@code namespace} is null when not given. The path has one
 * trailing slash removed, as kubectl's {@code newLocalPath}/{@code newRemotePath} do.
 */
public record FileSpec(String namespace, String pod, String path) {

  /** kubectl's text for a malformed argument. */
  public static final String BAD_FORMAT =
      "filespec must match the canonical format: [[namespace/]pod:]file/path";

  /**
   * Parses an argument as kubectl's {@code extractFileSpec}: the first colon separates the pod from
   * the path; no colon means a local path.
   *
   * @throws IllegalArgumentException with {@link #BAD_FORMAT}
   */
  public static FileSpec parse(String arg) {
    int colon = arg.indexOf(':');
    if (colon == 0) {
      throw new IllegalArgumentException(BAD_FORMAT);
    }
    if (colon < 0) {
      return new FileSpec(null, null, CpPaths.stripTrailingSlash(arg));
    }
    String pod = arg.substring(0, colon);
    String file = CpPaths.stripTrailingSlash(arg.substring(colon + 1).replace('\\', '/'));
    String[] pieces = pod.split("/", -1);
    return switch (pieces.length) {
      case 1 -> new FileSpec(null, pieces[0], file);
      case 2 -> new FileSpec(pieces[0], pieces[1], file);
      default -> throw new IllegalArgumentException(BAD_FORMAT);
    };
  }

  public boolean isRemote() {
    return pod != null;
  }
}
