package io.kubehop.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Image names and defaults, with Docker's command/args rules. */
class ImageCatalogTest {

  static Stream<Arguments> references() {
    return Stream.of(
        Arguments.of(Named.of("bare", "nginx"), "nginx"),
        Arguments.of(Named.of("tag", "busybox:1.36"), "busybox"),
        Arguments.of(Named.of("docker hub library", "docker.io/library/alpine:3.20"), "alpine"),
        Arguments.of(Named.of("registry with port", "localhost:5000/team/debian:12"), "debian"),
        Arguments.of(Named.of("digest", "ubuntu@sha256:0123abcd"), "ubuntu"),
        Arguments.of(Named.of("tag and digest", "registry.k8s.io/nginx:1.2@sha256:00"), "nginx"));
  }

  @ParameterizedTest
  @MethodSource("references")
  void repositoryName(String image, String expected) {
    assertEquals(expected, ImageCatalog.repositoryName(image));
  }

  @Test
  void shellImagesIdleOnAnOpenStdin() {
    var defaults = ImageCatalog.defaults("busybox:latest", "127.0.0.5", List.of());
    assertEquals(List.of("/bin/sh"), ImageCatalog.argv(defaults, List.of(), List.of()));
    assertTrue(defaults.holdsStdinOpen());
  }

  @Test
  void unknownImagesSleep() {
    var defaults = ImageCatalog.defaults("quay.io/x/app", "127.0.0.5", List.of());
    assertEquals(List.of("sleep", "infinity"), ImageCatalog.argv(defaults, List.of(), List.of()));
    assertFalse(defaults.holdsStdinOpen());
  }

  @Test
  void commandReplacesEntrypointAndCmdArgsReplaceCmd() {
    var nginx = ImageCatalog.defaults("nginx", "127.0.0.5", List.of(8080, 9090));
    List<String> entrypoint = ImageCatalog.argv(nginx, List.of(), List.of());
    assertEquals(
        List.of(NginxServer.class.getName(), "127.0.0.5", "8080", "9090"),
        entrypoint.subList(entrypoint.size() - 4, entrypoint.size()));
    assertEquals(List.of("echo", "hi"), ImageCatalog.argv(nginx, List.of("echo"), List.of("hi")));
    var busybox = ImageCatalog.defaults("busybox", "127.0.0.5", List.of());
    assertEquals(List.of("ls", "-l"), ImageCatalog.argv(busybox, List.of(), List.of("ls", "-l")));
  }

  @Test
  void nginxDefaultsToPort80() {
    List<String> argv =
        ImageCatalog.argv(
            ImageCatalog.defaults("nginx", "127.0.0.9", List.of()), List.of(), List.of());
    assertEquals(List.of("127.0.0.9", "80"), argv.subList(argv.size() - 2, argv.size()));
  }
}
