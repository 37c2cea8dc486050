package io.kubehop.runtime.isolation;

import io.kubehop.runtime.image.ImageCatalog;
import io.kubehop.runtime.state.Tree;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The root filesystems of the images the runtime knows, built from what this host has (nothing is
 * pulled). Each image is a read-only lower layer for a container's overlay, plus read-only binds of
 * host directories it needs:
 *
 * <ul>
 *   <li>busybox, alpine: a static busybox with a hard link per applet, as the busybox image has
 *       them, and the usual top-level directories; nothing of the host;
 *   <li>every other image (debian, ubuntu, python, nginx, …): a skeleton whose {@code /usr} is the
 *       host's, read-only, with the host's {@code /bin → usr/bin}-style links; python adds a {@code
 *       /usr/local/bin} with {@code python} and {@code python3} (the host's {@code
 *       /usr/bin/python3}), nginx the Java runtime and the jar its server runs from.
 * </ul>
 *
 * Layers are rebuilt at every start of the runtime: containers of an earlier run are gone by then.
 */
public final class ImageLayers {

  /** An image's root filesystem: the overlay's lower layer and the binds on top of it. */
  public record ImageFs(Path layer, List<Bind> binds) {
    public ImageFs {
      binds = List.copyOf(binds);
    }
  }

  /** Directories every root has; {@code /tmp} is world-writable with the sticky bit. */
  private static final List<String> TOP_DIRS =
      List.of("dev", "proc", "sys", "tmp", "etc", "root", "home", "var", "run", "mnt", "opt");

  private static final List<String> HOST_TOP_LINKS =
      List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");

  private static final String PASSWD =
      "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
  private static final String GROUP = "root:x:0:\nnogroup:x:65534:\n";

  private final Path busybox;
  private final Path host;
  private final Path python;
  private final List<Bind> hostBinds;
  private final List<Bind> nginxBinds;

  private ImageLayers(
      Path busybox, Path host, Path python, List<Bind> hostBinds, List<Bind> nginxBinds) {
    this.busybox = busybox;
    this.host = host;
    this.python = python;
    this.hostBinds = hostBinds;
    this.nginxBinds = nginxBinds;
  }

  /**
   * Builds the layers under {@code dir} (replacing what an earlier run left) from {@code
   * busyboxBinary}, which must be statically linked. Blocking.
   */
  public static ImageLayers build(Path dir, Path busyboxBinary) throws IOException {
    Files.createDirectories(dir);
    Path busybox = fresh(dir.resolve("busybox"));
    buildBusybox(busybox, busyboxBinary);
    Path host = fresh(dir.resolve("host"));
    List<Bind> hostBinds = buildHost(host);
    Path python = fresh(dir.resolve("python-usr-local-bin"));
    Files.createSymbolicLink(python.resolve("python3"), Path.of("/usr/bin/python3"));
    Files.createSymbolicLink(python.resolve("python"), Path.of("/usr/bin/python3"));
    return new ImageLayers(busybox, host, python, hostBinds, nginxBinds());
  }

  /** The root filesystem of {@code image}. */
  public ImageFs forImage(String image) {
    String name = ImageCatalog.repositoryName(image);
    if (name.equals("busybox") || name.equals("alpine")) {
      return new ImageFs(busybox, List.of());
    }
    List<Bind> binds = new ArrayList<>(hostBinds);
    if (name.equals("python")) {
      binds.add(new Bind(python, "/usr/local/bin", true));
    } else if (name.equals("nginx")) {
      binds.addAll(nginxBinds);
    }
    return new ImageFs(host, binds);
  }

  private static void buildBusybox(Path layer, Path binary) throws IOException {
    skeleton(layer);
    for (String dir : List.of("bin", "sbin", "usr/bin", "usr/sbin")) {
      Files.createDirectories(layer.resolve(dir));
    }
    Path target = layer.resolve("bin/busybox");
    Files.copy(binary, target);
    for (String applet : applets(binary)) {
      Path link = layer.resolve(applet);
      if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(link.getParent());
        Files.createLink(link, target);
      }
    }
  }

  /**
   * {@code busybox --list-full}: the applets with their install paths, relative ({@code bin/sh},
   * {@code usr/bin/env}, …).
   */
  static List<String> applets(Path binary) throws IOException {
    Process process =
        new ProcessBuilder(binary.toString(), "--list-full")
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(binary + " --list-full failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out.lines()
        .map(String::strip)
        .map(line -> line.replaceFirst("^/+", ""))
        .filter(line -> line.contains("/") && !line.contains(".."))
        .toList();
  }

  /**
   * The skeleton of a host-based image: top-level links as the host has them ({@code bin → usr/bin}
   * on a merged-/usr system), the host's {@code /usr} and any top-level library or binary directory
   * that is a real directory here, each bound read-only.
   */
  private static List<Bind> buildHost(Path layer) throws IOException {
    skeleton(layer);
    Files.createDirectories(layer.resolve("usr"));
    List<Bind> binds = new ArrayList<>(List.of(new Bind(Path.of("/usr"), "/usr", true)));
    for (String name : HOST_TOP_LINKS) {
      Path hostPath = Path.of("/", name);
      if (Files.isSymbolicLink(hostPath)) {
        Files.createSymbolicLink(layer.resolve(name), Files.readSymbolicLink(hostPath));
      } else if (Files.isDirectory(hostPath)) {
        Files.createDirectories(layer.resolve(name));
        binds.add(new Bind(hostPath, "/" + name, true));
      }
    }
    // what glibc programs read at start: the linker cache, name service switch
    for (String file : List.of("ld.so.cache", "ld.so.conf", "nsswitch.conf", "localtime")) {
      Path hostFile = Path.of("/etc", file);
      if (Files.isRegularFile(hostFile)) {
        Files.copy(hostFile, layer.resolve("etc").resolve(file));
      }
    }
    return binds;
  }

  private static void skeleton(Path layer) throws IOException {
    for (String dir : TOP_DIRS) {
      Files.createDirectories(layer.resolve(dir));
    }
    Files.setPosixFilePermissions(
        layer.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
    // the sticky bit is not a POSIX permission Java can set; chmod does it
    chmod("1777", layer.resolve("tmp"));
    Files.setPosixFilePermissions(
        layer.resolve("root"), PosixFilePermissions.fromString("rwx------"));
    Files.writeString(layer.resolve("etc/passwd"), PASSWD);
    Files.writeString(layer.resolve("etc/group"), GROUP);
  }

  /**
   * What the nginx image's server needs besides {@code /usr}: the Java runtime, when it is not
   * under {@code /usr}, and the jar (or classes directory) the server's class comes from.
   */
  private static List<Bind> nginxBinds() {
    Set<Path> paths = new LinkedHashSet<>();
    Path javaHome = Path.of(System.getProperty("java.home")).toAbsolutePath();
    if (!javaHome.startsWith("/usr/")) {
      paths.add(javaHome);
    }
    try {
      paths.add(
          Path.of(ImageCatalog.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toAbsolutePath());
    } catch (URISyntaxException | RuntimeException e) {
      // no code source (a custom class loader): the server will not start, and says so
    }
    return paths.stream().map(p -> new Bind(p, p.toString(), true)).toList();
  }

  private static Path fresh(Path dir) throws IOException {
    Tree.delete(dir);
    Files.createDirectories(dir);
    return dir;
  }

  private static void chmod(String mode, Path path) throws IOException {
    try {
      Process p = new ProcessBuilder("chmod", mode, path.toString()).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IOException("chmod " + mode + " " + path + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
