package io.kubehop.kubelet.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {

  @TempDir Path dir;

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-05T09:41:23.5Z"), ZoneOffset.UTC);

  private static FileProjection file(String text, int mode) {
    return new FileProjection(text.getBytes(StandardCharsets.UTF_8), mode);
  }

  private Set<String> names() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private String perms(Path p) throws Exception {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void writesUpstreamsLayout() throws Exception {
    Map<String, FileProjection> payload = new LinkedHashMap<>();
    payload.put("game.properties", file("lives=3\n", 0644));
    payload.put("sub/dir/key", file("x", 0400));
    assertTrue(new AtomicWriter(dir, CLOCK).write(payload));

    Set<String> names = names();
    assertEquals(4, names.size(), names.toString());
    assertTrue(names.containsAll(List.of("..data", "game.properties", "sub")));
    String ts =
        names.stream()
            .filter(n -> n.startsWith("..2026_12_05_09_41_23."))
            .findFirst()
            .orElseThrow();
    assertTrue(ts.matches("\\.\\.2026_12_05_09_41_23\\.\\d+"), ts);

    assertEquals(Path.of(ts), Files.readSymbolicLink(dir.resolve("..data")));
    assertEquals(
        Path.of("..data/game.properties"), Files.readSymbolicLink(dir.resolve("game.properties")));
    assertEquals(Path.of("..data/sub"), Files.readSymbolicLink(dir.resolve("sub")));
    assertEquals("rwxr-xr-x", perms(dir.resolve(ts)));
    assertEquals("rw-r--r--", perms(dir.resolve(ts).resolve("game.properties")));
    assertEquals("r--------", perms(dir.resolve(ts).resolve("sub/dir/key")));
    assertEquals("lives=3\n", Files.readString(dir.resolve("game.properties")));
    assertEquals("x", Files.readString(dir.resolve("sub/dir/key")));
  }

  @Test
  void anUnchangedPayloadTouchesNothing() throws Exception {
    AtomicWriter w = new AtomicWriter(dir, CLOCK);
    assertTrue(w.write(Map.of("a", file("1", 0644))));
    Path target = Files.readSymbolicLink(dir.resolve("..data"));
    assertFalse(w.write(Map.of("a", file("1", 0644))));
    assertEquals(target, Files.readSymbolicLink(dir.resolve("..data")));
    // A mode change alone is a change.
    assertTrue(w.write(Map.of("a", file("1", 0600))));
    assertEquals("rw-------", perms(dir.resolve("a").toRealPath()));
  }

  @Test
  void anUpdateSwapsDataAndDropsGoneKeysAndTheOldDirectory() throws Exception {
    AtomicWriter w = new AtomicWriter(dir, CLOCK);
    w.write(Map.of("a", file("1", 0644), "b", file("2", 0644)));
    Path oldTs = Files.readSymbolicLink(dir.resolve("..data"));
    w.write(Map.of("a", file("one", 0644), "c", file("3", 0644)));
    Path newTs = Files.readSymbolicLink(dir.resolve("..data"));
    Set<String> names = names();
    assertEquals(Set.of("..data", newTs.toString(), "a", "c"), names);
    assertFalse(oldTs.equals(newTs));
    assertEquals("one", Files.readString(dir.resolve("a")));
    assertEquals("3", Files.readString(dir.resolve("c")));
  }

  @Test
  void anEmptyPayloadIsAnEmptyDataDirectory() throws Exception {
    new AtomicWriter(dir, CLOCK).write(Map.of());
    Path ts = dir.resolve(Files.readSymbolicLink(dir.resolve("..data")));
    try (Stream<Path> s = Files.list(ts)) {
      assertEquals(0, s.count());
    }
    assertEquals(2, names().size());
  }

  @Test
  void rejectsEscapingPaths() {
    AtomicWriter w = new AtomicWriter(dir, CLOCK);
    assertEquals(
        "invalid path: must be relative path: /etc/x",
        assertThrows(VolumeException.class, () -> w.write(Map.of("/etc/x", file("", 0644))))
            .getMessage());
    assertEquals(
        "invalid path: must not contain '..': a/../../x",
        assertThrows(VolumeException.class, () -> w.write(Map.of("a/../../x", file("", 0644))))
            .getMessage());
    assertEquals(
        "invalid path: must not start with '..': ..data",
        assertThrows(VolumeException.class, () -> w.write(Map.of("..data", file("", 0644))))
            .getMessage());
  }
}
