package io.kubehop.client.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pod's side of {@code cp POD:SRC DEST} is not trusted. Golden archives from GNU tar 1.34 and
 * BusyBox 1.35 ({@code golden/tar/*.tar}: {@code tmp/src} with {@code a.txt}, {@code sub/b.txt}, a
 * 124-character name under {@code sub/}, an empty directory and a link {@code link -> /etc}; made
 * with {@code tar --format=gnu --mtime=@1700000000 --owner=0 --group=0 --numeric-owner --sort=name
 * -cf gnu.tar tmp/src} and {@code busybox tar cf busybox.tar tmp/src}) unpack as kubectl unpacks
 * them; hostile archives, crafted with commons-compress, write nothing outside DEST.
 */
class TarExtractorTest {

  private static final String LONG = "l".repeat(120) + ".txt";

  @TempDir Path dir;

  private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gnu.tar", "busybox.tar"})
  void goldenArchivesUnpackUnderDest(String golden) throws IOException {
    Path dest = dir.resolve("out");
    extract("/tmp/src", dest, resource(golden));

    assertEquals("alpha\n", Files.readString(dest.resolve("a.txt")));
    assertEquals("bravo\n", Files.readString(dest.resolve("sub/b.txt")));
    assertEquals("long\n", Files.readString(dest.resolve("sub/" + LONG)));
    assertTrue(Files.isDirectory(dest.resolve("empty")));
    assertFalse(Files.exists(dest.resolve("link"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertEquals(
        "warning: skipping symlink: \""
            + dest
            + "/link\" -> \"/etc\" (consider using \"kubehop exec -n \"ns\" \"pod\" -- tar cf -"
            + " \"/tmp/src\" | tar xf -\")\n",
        warnings());
  }

  @Test
  void aSingleFileBecomesDest() throws IOException {
    byte[] tar = tar(List.of(file("tmp/src/a.txt", "alpha\n")));
    Path dest = dir.resolve("copy.txt");
    extract("/tmp/src/a.txt", dest, new ByteArrayInputStream(tar));
    assertEquals("alpha\n", Files.readString(dest));
    assertEquals("", warnings());
  }

  @Test
  void aSingleFileOntoADirectoryFailsAsKubectl() throws IOException {
    byte[] tar = tar(List.of(file("etc/hostname", "demo\n")));
    Path dest = Files.createDirectory(dir.resolve("existing"));
    IOException e =
        assertThrows(
            IOException.class, () -> extract("/etc/hostname", dest, new ByteArrayInputStream(tar)));
    assertEquals("open " + dest + ": is a directory", e.getMessage());
  }

  @Test
  void dotDotMembersInsideThePrefixAreSkippedWithKubectlsWarning() throws IOException {
    Path dest = Files.createDirectories(dir.resolve("a/b/out"));
    byte[] tar =
        tar(
            List.of(
                file("data/../../../x", "evil\n"),
                file("data/../../escape", "evil\n"),
                file("data/ok.txt", "fine\n")));
    extract("/data", dest, new ByteArrayInputStream(tar));

    assertEquals("fine\n", Files.readString(dest.resolve("ok.txt")));
    assertFalse(Files.exists(dir.resolve("x")));
    assertFalse(Files.exists(dir.resolve("a/escape")));
    assertEquals(
        "warning: file \""
            + dir.resolve("x")
            + "\" is outside target destination, skipping\n"
            + "warning: file \""
            + dir.resolve("a/escape")
            + "\" is outside target destination, skipping\n",
        warnings());
  }

  @Test
  void withAnEmptyPrefixDotDotEtcIsSkippedAndTheCopyGoesOn() throws IOException {
    Path dest = Files.createDirectories(dir.resolve("a/b/out"));
    byte[] tar = tar(List.of(file("../../etc/x", "evil\n"), file("ok.txt", "fine\n")));
    extract(".", dest, new ByteArrayInputStream(tar));

    assertFalse(Files.exists(dir.resolve("a/etc/x")));
    assertEquals("fine\n", Files.readString(dest.resolve("ok.txt")));
    assertEquals(
        "warning: file \""
            + dir.resolve("a/etc/x")
            + "\" is outside target destination, skipping\n",
        warnings());
  }

  @Test
  void aMemberOutsideThePrefixIsCorruptionAsInKubectl() throws IOException {
    Path dest = dir.resolve("out");
    byte[] tar = tar(List.of(file("data/ok.txt", "fine\n"), file("../../etc/x", "evil\n")));
    TarExtractor.TarContentsException e =
        assertThrows(
            TarExtractor.TarContentsException.class,
            () -> extract("/data", dest, new ByteArrayInputStream(tar)));
    assertEquals("tar contents corrupted", e.getMessage());
    assertEquals("fine\n", Files.readString(dest.resolve("ok.txt")));
    assertFalse(Files.exists(dir.resolve("etc")));
  }

  @Test
  void anAbsoluteMemberStaysUnderDest() throws IOException {
    Path dest = dir.resolve("out");
    byte[] tar = tar(List.of(file("/" + dir.resolve("planted"), "evil\n")));
    extract(".", dest, new ByteArrayInputStream(tar));
    assertFalse(Files.exists(dir.resolve("planted")));
    try (Stream<Path> all = Files.walk(dest)) {
      assertTrue(all.anyMatch(p -> p.endsWith("planted")));
    }
  }

  @Test
  void aLinkToOutsideIsNotCreatedSoNothingIsWrittenThroughIt() throws IOException {
    Path outside = Files.createDirectory(dir.resolve("outside"));
    Path dest = dir.resolve("out");
    byte[] tar =
        tar(
            List.of(
                symlink("data/link", outside.toString()),
                file("data/link/x", "evil\n"),
                symlink("data/rel", "../outside"),
                file("data/rel/y", "evil\n")));
    extract("data", dest, new ByteArrayInputStream(tar));

    try (Stream<Path> planted = Files.list(outside)) {
      assertEquals(0, planted.count());
    }
    assertEquals("evil\n", Files.readString(dest.resolve("link/x"))); // a plain directory now
    assertTrue(warnings().contains("warning: skipping symlink: \"" + dest + "/link\""));
    assertTrue(
        warnings().contains("warning: skipping symlink: \"" + dest + "/rel\" -> \"../outside\"\n"));
  }

  @Test
  void aLinkAlreadyUnderDestThatLeadsOutsideIsNotWrittenThrough() throws IOException {
    Path outside = Files.createDirectory(dir.resolve("outside"));
    Path dest = Files.createDirectory(dir.resolve("out"));
    Files.createSymbolicLink(dest.resolve("planted"), outside);
    Files.createSymbolicLink(dest.resolve("file"), outside.resolve("target"));
    byte[] tar =
        tar(
            List.of(
                file("data/planted/x", "evil\n"),
                file("data/planted/deep/y", "evil\n"),
                file("data/file", "evil\n")));
    extract("data", dest, new ByteArrayInputStream(tar));

    try (Stream<Path> planted = Files.list(outside)) {
      assertEquals(0, planted.count());
    }
    assertEquals(
        "warning: file \""
            + dest
            + "/planted/x\" is outside target destination, skipping\n"
            + "warning: file \""
            + dest
            + "/planted/deep/y\" is outside target destination, skipping\n"
            + "warning: file \""
            + dest
            + "/file\" is outside target destination, skipping\n",
        warnings());
  }

  @Test
  void hardLinksAndDevicesAreSkipped() throws IOException {
    Path dest = dir.resolve("out");
    TarArchiveEntry hard = new TarArchiveEntry("data/hard", TarConstants.LF_LINK);
    hard.setLinkName("/etc/shadow");
    TarArchiveEntry fifo = new TarArchiveEntry("data/fifo", TarConstants.LF_FIFO);
    byte[] tar = tar(List.of(new Member(hard, null), new Member(fifo, null)));
    extract("data", dest, new ByteArrayInputStream(tar));

    assertFalse(Files.exists(dest.resolve("hard")));
    assertFalse(Files.exists(dest.resolve("fifo")));
    assertEquals(
        "warning: skipping \""
            + dest
            + "/hard\": hard link to \"/etc/shadow\"\n"
            + "warning: skipping \""
            + dest
            + "/fifo\": not a regular file or directory\n",
        warnings());
  }

  @Test
  void theTrailingPaddingIsReadToTheEnd() throws IOException {
    byte[] tar = tar(List.of(file("a", "x")));
    byte[] padded = new byte[tar.length + 8192];
    System.arraycopy(tar, 0, padded, 0, tar.length);
    ByteArrayInputStream in = new ByteArrayInputStream(padded);
    extract("a", dir.resolve("a"), in);
    assertEquals(0, in.available());
  }

  private void extract(String source, Path dest, InputStream in) throws IOException {
    PrintStream err = new PrintStream(warnings, true, StandardCharsets.UTF_8);
    String hint =
        "kubehop exec -n \"ns\" \"pod\" -- tar cf - " + CpPaths.quote(source) + " | tar xf -";
    new TarExtractor(source, dest.toString(), err, Progress.NONE, hint).extract(in);
  }

  private String warnings() {
    return warnings.toString(StandardCharsets.UTF_8);
  }

  private static InputStream resource(String name) {
    return TarExtractorTest.class.getResourceAsStream("/golden/tar/" + name);
  }

  record Member(TarArchiveEntry entry, byte[] content) {}

  static Member file(String name, String content) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    entry.setSize(bytes.length);
    return new Member(entry, bytes);
  }

  static Member symlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    entry.setLinkName(target);
    return new Member(entry, null);
  }

  /** An archive as a hostile pod would stream it; names are kept as given, even absolute. */
  static byte[] tar(List<Member> members) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Member m : new ArrayList<>(members)) {
        tar.putArchiveEntry(m.entry());
        if (m.content() != null) {
          tar.write(m.content());
        }
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
