package io.kubehop.runtime.image;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The few images the runtime knows, and what each runs when the container gives no command (the
 * image's ENTRYPOINT and CMD). Nothing is ever pulled: an image is only a name, matched on its
 * repository's last path component with registry, tag and digest ignored ({@code
 * docker.io/library/nginx:1.27} is {@code nginx}).
 *
 * <ul>
 *   <li>busybox, alpine, ubuntu, debian: an idle {@code /bin/sh} whose stdin the runtime holds open
 *       (like {@code docker run -i}), so it waits instead of exiting at once;
 *   <li>nginx: {@link NginxServer} in a small JVM, serving the welcome page on the pod IP;
 *   <li>python: {@code python3} (the host's), which exits at once without a stdin, as the python
 *       image's REPL does;
 *   <li>anything else: {@code sleep infinity}.
 * </ul>
 */
public final class ImageCatalog {

  /**
   * An image's defaults.
   *
   * @param entrypoint the image's ENTRYPOINT
   * @param cmd the image's CMD
   * @param holdsStdinOpen whether the runtime keeps the default command's stdin open (idle shells)
   */
  public record ImageDefaults(List<String> entrypoint, List<String> cmd, boolean holdsStdinOpen) {}

  private static final List<String> SHELL_IMAGES = List.of("busybox", "alpine", "ubuntu", "debian");

  private ImageCatalog() {}

  /**
   * The repository name of an image reference: {@code registry:5000/library/nginx:1.27@sha256:…} →
   * nginx.
   */
  public static String repositoryName(String image) {
    String ref = image;
    int at = ref.indexOf('@');
    if (at >= 0) {
      ref = ref.substring(0, at);
    }
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    if (colon > slash) {
      ref = ref.substring(0, colon);
    }
    return ref.substring(ref.lastIndexOf('/') + 1);
  }

  /** The defaults of an image for a pod with this IP and these container ports. */
  public static ImageDefaults defaults(String image, String podIp, List<Integer> containerPorts) {
    String name = repositoryName(image);
    if (SHELL_IMAGES.contains(name)) {
      return new ImageDefaults(List.of(), List.of("/bin/sh"), true);
    }
    if (name.equals("python")) {
      return new ImageDefaults(List.of(), List.of("python3"), false);
    }
    if (name.equals("nginx")) {
      return new ImageDefaults(nginxEntrypoint(podIp, containerPorts), List.of(), false);
    }
    return new ImageDefaults(List.of(), List.of("sleep", "infinity"), false);
  }

  /**
   * The argv a container runs, with Docker's rules: a command replaces ENTRYPOINT and CMD, args
   * replace CMD. Whether stdin is held open applies only when the image's own CMD runs.
   */
  public static List<String> argv(ImageDefaults defaults, List<String> command, List<String> args) {
    List<String> argv = new ArrayList<>(command.isEmpty() ? defaults.entrypoint() : command);
    argv.addAll(command.isEmpty() && args.isEmpty() ? defaults.cmd() : args);
    return argv;
  }

  private static List<String> nginxEntrypoint(String podIp, List<Integer> containerPorts) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                javaExecutable(),
                "-Xmx16m",
                "-Xss512k",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                absoluteClassPath(),
                NginxServer.class.getName(),
                podIp));
    List<Integer> ports = containerPorts.isEmpty() ? List.of(80) : containerPorts;
    ports.forEach(port -> argv.add(Integer.toString(port)));
    return argv;
  }

  /** The java binary running this runtime (so nginx needs nothing installed). */
  static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * The runtime's class path made absolute: the nginx process starts in the container's working
   * directory.
   */
  static String absoluteClassPath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Path.of(entry).toAbsolutePath().toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
