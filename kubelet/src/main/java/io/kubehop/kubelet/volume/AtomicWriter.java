package io.kubehop.kubelet.volume;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes a volume's payload the way upstream's {@code AtomicWriter} lays it out, so that a reader
 * in the container sees either the old or the new set of files, never a mix: the files go into a
 * fresh {@code ..<UTC timestamp>.<random>} directory, the {@code ..data} symlink is swapped to it
 * with one rename, and each top-level name of the payload is a symlink {@code name -> ..data/name}
 * that never changes. Blocking: call it off the event loop.
 */
public final class AtomicWriter {

  static final String DATA_DIR = "..data";
  private static final String DATA_DIR_TMP = "..data_tmp";
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss'.'").withZone(ZoneOffset.UTC);

  private final Path target;
  private final Clock clock;

  public AtomicWriter(Path target, Clock clock) {
    this.target = target;
    this.clock = clock;
  }

  /**
   * Makes the target directory hold exactly {@code payload} (relative path → file). Returns false
   * when it already did, bytes and modes alike, and nothing was touched.
   */
  public boolean write(Map<String, FileProjection> payload) throws IOException, VolumeException {
    Map<String, FileProjection> clean = new TreeMap<>();
    for (Map.Entry<String, FileProjection> e : payload.entrySet()) {
      clean.put(validPath(e.getKey()), e.getValue());
    }
    Files.createDirectories(target);
    Path dataLink = target.resolve(DATA_DIR);
    Path oldTs = null;
    if (Files.isSymbolicLink(dataLink)) {
      oldTs = target.resolve(Files.readSymbolicLink(dataLink));
    }
    if (oldTs != null && Files.isDirectory(oldTs) && sameContent(oldTs, clean)) {
      createVisibleLinks(clean.keySet());
      return false;
    }
    Set<String> oldTop = oldTs != null && Files.isDirectory(oldTs) ? topLevel(oldTs) : Set.of();
    Path ts = newTimestampDir();
    for (Map.Entry<String, FileProjection> e : clean.entrySet()) {
      Path file = ts.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue().data());
      // Set explicitly: the umask must not decide what the pod sees.
      Files.setPosixFilePermissions(file, perms(e.getValue().mode()));
    }
    Path tmpLink = target.resolve(DATA_DIR_TMP);
    Files.deleteIfExists(tmpLink);
    Files.createSymbolicLink(tmpLink, ts.getFileName());
    Files.move(tmpLink, dataLink, StandardCopyOption.ATOMIC_MOVE);
    createVisibleLinks(clean.keySet());
    Set<String> newTop = new HashSet<>();
    clean.keySet().forEach(p -> newTop.add(top(p)));
    for (String gone : oldTop) {
      if (!newTop.contains(gone)) {
        Path link = target.resolve(gone);
        if (Files.isSymbolicLink(link)) {
          Files.delete(link);
        }
      }
    }
    if (oldTs != null && !oldTs.equals(ts)) {
      deleteTree(oldTs);
    }
    return true;
  }

  /**
   * Upstream's payload path rules: relative, no {@code ..} element, not starting with {@code ..}.
   */
  static String validPath(String path) throws VolumeException {
    if (path == null || path.isEmpty()) {
      throw new VolumeException("invalid path: must not be empty");
    }
    if (path.startsWith("/")) {
      throw new VolumeException("invalid path: must be relative path: " + path);
    }
    for (String element : path.split("/")) {
      if (element.equals("..")) {
        throw new VolumeException("invalid path: must not contain '..': " + path);
      }
    }
    if (path.startsWith("..")) {
      throw new VolumeException("invalid path: must not start with '..': " + path);
    }
    String cleaned = Path.of(path).normalize().toString();
    if (cleaned.isEmpty()) {
      throw new VolumeException("invalid path: must not be empty");
    }
    return cleaned;
  }

  private static String top(String path) {
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(0, slash);
  }

  private void createVisibleLinks(Set<String> paths) throws IOException {
    for (String p : paths) {
      String name = top(p);
      Path link = target.resolve(name);
      if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Files.createSymbolicLink(link, Path.of(DATA_DIR, name));
    }
  }

  private boolean sameContent(Path ts, Map<String, FileProjection> payload) throws IOException {
    Set<String> present = new HashSet<>();
    try (Stream<Path> files = Files.walk(ts)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          present.add(ts.relativize(f).toString());
        }
      }
    }
    if (!present.equals(payload.keySet())) {
      return false;
    }
    for (Map.Entry<String, FileProjection> e : payload.entrySet()) {
      Path f = ts.resolve(e.getKey());
      if (mode(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS))
              != (e.getValue().mode() & 0777)
          || !java.util.Arrays.equals(Files.readAllBytes(f), e.getValue().data())) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> topLevel(Path ts) throws IOException {
    Set<String> names = new HashSet<>();
    try (Stream<Path> children = Files.list(ts)) {
      children.forEach(c -> names.add(c.getFileName().toString()));
    }
    return names;
  }

  private Path newTimestampDir() throws IOException {
    String prefix = TS.format(clock.instant());
    while (true) {
      Path dir =
          target.resolve(prefix + Integer.toUnsignedString(ThreadLocalRandom.current().nextInt()));
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        continue;
      }
      // Group and others must be able to walk into it whatever the umask (upstream: 0755).
      Files.setPosixFilePermissions(dir, perms(0755));
      return dir;
    }
  }

  static Set<PosixFilePermission> perms(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  static int mode(Set<PosixFilePermission> perms) {
    int mode = 0;
    PosixFilePermission[] bits = PosixFilePermission.values();
    for (int i = 0; i < 9; i++) {
      if (perms.contains(bits[i])) {
        mode |= 0400 >> i;
      }
    }
    return mode;
  }

  /** Deletes a directory tree without following symlinks; a missing tree is fine. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        try {
          Files.delete(p);
        } catch (NoSuchFileException e) {
          // Gone already: that is what we wanted.
        }
      }
    }
  }
}
