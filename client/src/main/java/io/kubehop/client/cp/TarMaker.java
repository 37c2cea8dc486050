package io.kubehop.client.cp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes the tar that {@code cp LOCAL POD:DEST} streams into the pod's {@code tar -xmf -}
 * (kubectl's {@code makeTar}/{@code recursiveTar}): members are named after the destination's base
 * name, so that {@code tar -C dir(DEST)} puts them at DEST; a directory contributes its files (and
 * an empty directory an entry of its own), a symbolic link is stored as a link, not followed.
 *
 * <p>Names too long for ustar get PAX headers, as Go's {@code archive/tar} chooses; sizes over 8
 * GiB too. Only mode, size, owner and whole-second mtime are recorded: no atime/ctime PAX records
 * that a busybox tar would have to skip.
 */
public final class TarMaker {

  private static final int COPY_BUFFER = 64 << 10;

  /**
   * GNU tar's default blocking (20 records): the tar library writes a block at a time, and 512-byte
   * writes would cost a call each through the bridge to the connection.
   */
  private static final int BLOCK_SIZE = 20 * 512;

  private final Progress progress;
  private final PrintStream warnings;

  public TarMaker(Progress progress, PrintStream warnings) {
    this.progress = progress;
    this.warnings = warnings;
  }

  /** The bytes of regular files that {@link #write} will copy, for the progress total. */
  public static long contentSize(Path source) throws IOException {
    if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      return Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS) ? Files.size(source) : 0;
    }
    try (Stream<Path> all = Files.walk(source)) {
      return all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }

  /**
   * Writes {@code source} as members named {@code base} (and {@code base/…}) into {@code out}, then
   * the end-of-archive records; {@code out} is left open.
   */
  public void write(Path source, String base, OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, BLOCK_SIZE, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    add(tar, source, base);
    tar.finish();
    tar.flush();
  }

  private void add(TarArchiveOutputStream tar, Path path, String name) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      List<Path> children;
      try (Stream<Path> list = Files.list(path)) {
        children = list.sorted().toList(); // Go's ReadDir order: by name
      }
      if (children.isEmpty()) {
        tar.putArchiveEntry(entry(path, name + "/", TarConstants.LF_DIR));
        tar.closeArchiveEntry();
      }
      for (Path child : children) {
        add(tar, child, CpPaths.join(name, child.getFileName().toString()));
      }
    } else if (Files.isSymbolicLink(path)) {
      TarArchiveEntry link = entry(path, name, TarConstants.LF_SYMLINK);
      link.setLinkName(Files.readSymbolicLink(path).toString());
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
        TarArchiveEntry file = entry(path, name, TarConstants.LF_NORMAL);
        file.setSize(Files.size(path));
        tar.putArchiveEntry(file);
        copy(in, tar, file.getSize());
        tar.closeArchiveEntry();
      }
    } else {
      warnings.println(
          "warning: skipping " + CpPaths.quote(path.toString()) + ": not a regular file");
    }
  }

  private void copy(InputStream in, OutputStream tar, long size) throws IOException {
    byte[] buffer = new byte[COPY_BUFFER];
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("file shrank while being copied");
      }
      tar.write(buffer, 0, n);
      left -= n;
      progress.add(n);
    }
  }

  private static TarArchiveEntry entry(Path path, String name, byte type) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, type);
    Map<String, Object> unix =
        Files.readAttributes(path, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    PosixFileAttributes posix =
        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    entry.setMode((Integer) unix.get("mode") & 07777);
    entry.setUserId(((Integer) unix.get("uid")).longValue());
    entry.setGroupId(((Integer) unix.get("gid")).longValue());
    entry.setUserName(posix.owner().getName());
    entry.setGroupName(posix.group().getName());
    FileTime modified = posix.lastModifiedTime();
    entry.setModTime(FileTime.fromMillis(modified.toMillis() / 1000 * 1000));
    return entry;
  }
}
