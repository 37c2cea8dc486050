package io.kubehop.client.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** kubectl's filespec.go arithmetic, with the cases of its filespec_test.go and cp_test.go. */
class CpPathsTest {

  @ParameterizedTest(name = "memberPrefix({0}) = \"{1}\"")
  @CsvSource(
      value = {
        "/tmp/foo|tmp/foo",
        "tmp/foo/|tmp/foo",
        "/tmp/../../foo|foo",
        "../../foo/bar|foo/bar",
        ".|''",
        "..|''",
        "/|''",
        "//etc//hostname|etc/hostname",
        "./a/./b|a/b"
      },
      delimiter = '|')
  void memberPrefixIsWhatKubectlStrips(String source, String prefix) {
    assertEquals(prefix, CpPaths.memberPrefix(source));
  }

  @ParameterizedTest(name = "clean({0}) = {1}")
  @CsvSource(
      value = {"''|.", "a/../..|..", "/../a|/a", "a//b/./c/|a/b/c", "out/../../x|../x", "/|/"},
      delimiter = '|')
  void cleanIsGoPathClean(String path, String cleaned) {
    assertEquals(cleaned, CpPaths.clean(path));
  }

  @Test
  void dirAndBaseAreGos() {
    assertEquals(".", CpPaths.dir("x"));
    assertEquals("/", CpPaths.dir("/x"));
    assertEquals("/tmp/dir", CpPaths.dir("/tmp/dir/a.txt"));
    assertEquals("a.txt", CpPaths.base("/tmp/dir/a.txt"));
    assertEquals("dir", CpPaths.base("/tmp/dir/"));
    assertEquals("/", CpPaths.base("/"));
  }

  @Test
  void quoteIsGosPercentQ() {
    assertEquals("\"a \\\"b\\\"\\n\"", CpPaths.quote("a \"b\"\n"));
  }

  static Stream<Arguments> specs() {
    return Stream.of(
        Arguments.of("/tmp/foo", new FileSpec(null, null, "/tmp/foo")),
        Arguments.of("dir/", new FileSpec(null, null, "dir")),
        Arguments.of("demo:/tmp/foo/", new FileSpec(null, "demo", "/tmp/foo")),
        Arguments.of("ns/demo:/tmp/foo", new FileSpec("ns", "demo", "/tmp/foo")),
        Arguments.of("demo:", new FileSpec(null, "demo", "")),
        Arguments.of("demo:a:b", new FileSpec(null, "demo", "a:b")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void fileSpecsParseAsKubectls(String arg, FileSpec expected) {
    assertEquals(expected, FileSpec.parse(arg));
  }

  @Test
  void malformedFileSpecsGetKubectlsMessage() {
    assertEquals(
        FileSpec.BAD_FORMAT,
        assertThrows(IllegalArgumentException.class, () -> FileSpec.parse(":/x")).getMessage());
    assertEquals(
        FileSpec.BAD_FORMAT,
        assertThrows(IllegalArgumentException.class, () -> FileSpec.parse("a/b/c:/x"))
            .getMessage());
  }
}
