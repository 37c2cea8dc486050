package io.kubehop.client.cp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks the tar that the pod's {@code tar cf - SRC} streams, for {@code cp POD:SRC DEST}
 * (kubectl's {@code untarAll}): every member must start with SRC's prefix (else {@value
 * #CORRUPTED}, as kubectl), the prefix is replaced by DEST, and nothing is ever written outside
 * DEST.
 *
 * <p>The pod is not trusted (the kubectl cp CVEs: CVE-2019-1002101, CVE-2019-11246, CVE-2019-11249,
 * CVE-2019-11251). A member whose name leads outside DEST ({@code ../}, absolute after the prefix)
 * is skipped with kubectl's warning; symbolic links are never created (kubectl's warning too), so
 * no later member can be written through one. Beyond kubectl, which checks names only, a directory
 * or file that already exists under DEST as a link resolving outside DEST is treated the same way:
 * the member is skipped. Hard links, devices and FIFOs are skipped with a warning; kubectl would
 * create an empty regular file for them.
 */
public final class TarExtractor {

  /** kubectl's error when a member does not start with the source's prefix. */
  public static final String CORRUPTED = "tar contents corrupted";

  private static final int COPY_BUFFER = 64 << 10;

  private final String prefix;
  private final String dest;
  private final Path destPath;
  private final PrintStream warnings;
  private final Progress progress;
  private final String symlinkHint;
  private boolean symlinkHintPrinted;
  private int regularFiles;

  /**
   * @param remoteSource SRC as given (kubectl strips the same prefix from it)
   * @param dest DEST as given, without a trailing slash
   * @param symlinkHint kubectl's advice printed with the first skipped link, e.g. {@code kubehop
   *     exec -n "ns" "pod" -- tar cf - "src" | tar xf -}; null for none
   */
  public TarExtractor(
      String remoteSource,
      String dest,
      PrintStream warnings,
      Progress progress,
      String symlinkHint) {
    this.prefix = CpPaths.memberPrefix(remoteSource);
    this.dest = dest;
    this.destPath = Path.of(dest).toAbsolutePath().normalize();
    this.warnings = warnings;
    this.progress = progress;
    this.symlinkHint = symlinkHint;
  }

  /**
   * Unpacks every member of {@code in}, then reads {@code in} to its end (a tar's trailing padding
   * must not hold the remote writer back).
   *
   * @throws TarContentsException when a member lies outside the source's prefix
   */
  public void extract(InputStream in) throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
    for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
      String name = entry.getName();
      if (!name.startsWith(prefix)) {
        throw new TarContentsException(CORRUPTED);
      }
      String shown = localJoin(dest, CpPaths.stripTrailingSlash(name.substring(prefix.length())));
      Path target = Path.of(shown).toAbsolutePath().normalize();
      if (!target.startsWith(destPath) || !parentsInside(target)) {
        warnOutside(shown);
        continue;
      }
      if (entry.isDirectory()) {
        if (!makeDirectories(target)) {
          warnOutside(shown);
        }
      } else if (entry.isSymbolicLink()) {
        warnSymlink(shown, entry.getLinkName());
      } else if (isRegular(entry)) {
        writeFile(tar, entry, shown, target);
      } else {
        warnings.println(
            "warning: skipping "
                + CpPaths.quote(shown)
                + ": "
                + (entry.isLink() ? "hard link to " + CpPaths.quote(entry.getLinkName()) : "")
                + (entry.isLink() ? "" : "not a regular file or directory"));
      }
    }
    byte[] rest = new byte[COPY_BUFFER];
    while (in.read(rest) >= 0) {
      // the end-of-archive padding (tar writes whole 10 KiB blocks)
    }
  }

  private void writeFile(
      TarArchiveInputStream tar, TarArchiveEntry entry, String shown, Path target)
      throws IOException {
    if (++regularFiles == 1) {
      progress.expect(entry.getSize());
    } else {
      progress.expect(-1); // a directory: its total is not known up front
    }
    if (!target.equals(destPath)) {
      // Resolving links of what already exists: the file itself may be a link planted earlier.
      if (Files.isSymbolicLink(target) && !resolvesInside(target)) {
        warnOutside(shown);
        return;
      }
    }
    if (target.getParent() != null && !makeDirectories(target.getParent())) {
      warnOutside(shown);
      return;
    }
    try (OutputStream out =
        Files.newOutputStream(
            Path.of(shown), // the same file; Go's errors name the path as the user gave it
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      byte[] buffer = new byte[COPY_BUFFER];
      for (int n = tar.read(buffer); n >= 0; n = tar.read(buffer)) {
        out.write(buffer, 0, n);
        progress.add(n);
      }
    } catch (FileSystemException e) {
      throw new IOException(goError("open", Path.of(shown), e), e);
    }
  }

  /**
   * Whether the existing ancestors of {@code target} below DEST are directories that resolve inside
   * DEST (a link planted under DEST must not carry a member out of it).
   */
  private boolean parentsInside(Path target) throws IOException {
    if (target.equals(destPath) || !Files.exists(destPath)) {
      return true;
    }
    for (Path p = target.getParent(); p != null && p.startsWith(destPath); p = p.getParent()) {
      if (!p.equals(destPath) && Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !resolvesInside(p)) {
        return false;
      }
    }
    return true;
  }

  private boolean resolvesInside(Path p) throws IOException {
    try {
      return p.toRealPath().startsWith(destPath.toRealPath());
    } catch (NoSuchFileException e) {
      return false; // a dangling link: where it would lead cannot be vouched for
    }
  }

  /**
   * Creates {@code dir} and its parents (kubectl's {@code MkdirAll}); false when an existing part
   * below DEST resolves outside it.
   */
  private boolean makeDirectories(Path dir) throws IOException {
    try {
      Files.createDirectories(dir.equals(destPath) || !dir.startsWith(destPath) ? dir : destPath);
      if (!dir.equals(destPath) && dir.startsWith(destPath)) {
        Path p = destPath;
        for (Path part : destPath.relativize(dir)) {
          p = p.resolve(part);
          if (Files.isSymbolicLink(p) && !resolvesInside(p)) {
            return false;
          }
          if (!Files.exists(p)) {
            Files.createDirectory(p);
          }
        }
      }
      return true;
    } catch (FileSystemException e) {
      throw new IOException(goError("mkdir", dir, e), e);
    }
  }

  private void warnOutside(String shown) {
    warnings.println(
        "warning: file " + CpPaths.quote(shown) + " is outside target destination, skipping");
  }

  private void warnSymlink(String shown, String linkName) {
    if (!symlinkHintPrinted && symlinkHint != null) {
      symlinkHintPrinted = true;
      warnings.println(
          "warning: skipping symlink: "
              + CpPaths.quote(shown)
              + " -> "
              + CpPaths.quote(linkName)
              + " (consider using \""
              + symlinkHint
              + "\")");
      return;
    }
    warnings.println(
        "warning: skipping symlink: " + CpPaths.quote(shown) + " -> " + CpPaths.quote(linkName));
  }

  /** commons-compress's {@code isFile()} also holds for hard links, FIFOs and devices. */
  private static boolean isRegular(TarArchiveEntry entry) {
    return entry.isFile()
        && !entry.isLink()
        && !entry.isFIFO()
        && !entry.isCharacterDevice()
        && !entry.isBlockDevice();
  }

  /** Go's {@code filepath.Join(dest, rel)} for the name kubectl shows. */
  private static String localJoin(String dest, String rel) {
    return CpPaths.join(dest, rel);
  }

  /** Go's {@code *PathError} text: {@code open /x: is a directory}. */
  static String goError(String op, Path path, FileSystemException e) {
    String reason = e.getReason();
    if (e instanceof NoSuchFileException) {
      reason = "no such file or directory";
    } else if (e instanceof java.nio.file.AccessDeniedException) {
      reason = "permission denied";
    } else if (reason == null) {
      reason = e.getClass().getSimpleName();
    } else {
      reason = reason.substring(0, 1).toLowerCase(java.util.Locale.ROOT) + reason.substring(1);
    }
    return op + " " + (e.getFile() != null ? e.getFile() : path) + ": " + reason;
  }

  /** The tar did not come from {@code tar cf - SRC}: a member outside SRC's prefix. */
  public static final class TarContentsException extends IOException {
    private static final long serialVersionUID = 1L;

    TarContentsException(String message) {
      super(message);
    }
  }
}
