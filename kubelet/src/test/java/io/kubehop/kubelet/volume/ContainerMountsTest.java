package io.kubehop.kubelet.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.api.core.Container;
import io.kubehop.api.core.Pod;
import io.kubehop.api.json.ApiJson;
import io.kubehop.cri.v1.Mount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerMountsTest {

  @TempDir Path root;

  private Path cfg;
  private Path sec;
  private Path scratch;
  private PodVolumes volumes;

  @BeforeEach
  void volumes() throws Exception {
    root = root.toRealPath();
    cfg = root.resolve("volumes/kubernetes.io~configmap/cfg");
    sec = root.resolve("volumes/kubernetes.io~secret/sec");
    scratch = root.resolve("volumes/kubernetes.io~empty-dir/scratch");
    new AtomicWriter(cfg, Clock.systemUTC())
        .write(Map.of("app.conf", new FileProjection("x".getBytes(StandardCharsets.UTF_8), 0644)));
    new AtomicWriter(sec, Clock.systemUTC())
        .write(Map.of("token", new FileProjection("t".getBytes(StandardCharsets.UTF_8), 0600)));
    Files.createDirectories(scratch);
    Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxrwxrwx"));
    volumes =
        new PodVolumes(
            Map.of(
                "cfg", new PodVolumes.Mounted(cfg, true),
                "sec", new PodVolumes.Mounted(sec, true),
                "scratch", new PodVolumes.Mounted(scratch, false)));
  }

  private static Container container(String mounts) throws Exception {
    return ApiJson.read(
            """
        {"metadata":{"name":"p","namespace":"ns","uid":"u"},
         "spec":{"containers":[{"name":"app","volumeMounts":%s}]}}
        """
                .formatted(mounts),
            Pod.class)
        .spec()
        .containers()
        .get(0);
  }

  private static Mount mount(String containerPath, Path host, boolean ro) {
    return Mount.newBuilder()
        .setContainerPath(containerPath)
        .setHostPath(host.toString())
        .setReadonly(ro)
        .build();
  }

  @Test
  void mountsInVolumeMountsOrder() throws Exception {
    Container c =
        container(
            """
            [{"name":"cfg","mountPath":"/opt"},
             {"name":"sec","mountPath":"/etc/token","subPath":"token"},
             {"name":"scratch","mountPath":"data"},
             {"name":"scratch","mountPath":"/cache","subPath":"a/b","readOnly":true}]
            """);
    List<Mount> mounts = ContainerMounts.build(c, volumes);
    Path tokenFile = sec.resolve(Files.readSymbolicLink(sec.resolve("..data"))).resolve("token");
    assertEquals(
        List.of(
            mount("/opt", cfg, true),
            // The file of the current ..<timestamp> directory: a later update does not reach it.
            mount("/etc/token", tokenFile, true),
            mount("/data", scratch, false),
            mount("/cache", scratch.resolve("a/b"), true)),
        mounts);
    assertTrue(Files.isDirectory(scratch.resolve("a/b")));
    assertEquals(
        "rwxrwxrwx",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch.resolve("a/b"))));
  }

  @Test
  void refusesWhatUpstreamRefuses() throws Exception {
    assertEquals(
        "cannot find volume \"nope\" to mount into container \"app\"",
        assertThrows(
                VolumeException.class,
                () ->
                    ContainerMounts.build(
                        container("[{\"name\":\"nope\",\"mountPath\":\"/x\"}]"), volumes))
            .getMessage());
    assertEquals(
        "error SubPath `/etc` must not be an absolute path",
        assertThrows(
                VolumeException.class,
                () ->
                    ContainerMounts.build(
                        container(
                            "[{\"name\":\"scratch\",\"mountPath\":\"/x\",\"subPath\":\"/etc\"}]"),
                        volumes))
            .getMessage());
    assertEquals(
        "unable to provision SubPath `a/../../b`: must not contain '..'",
        assertThrows(
                VolumeException.class,
                () ->
                    ContainerMounts.build(
                        container(
                            "[{\"name\":\"scratch\",\"mountPath\":\"/x\",\"subPath\":\"a/../../b\"}]"),
                        volumes))
            .getMessage());
    assertEquals(
        "volumeMount \"cfg\" of container \"app\": mountPath \"/data/\" must be unique",
        assertThrows(
                VolumeException.class,
                () ->
                    ContainerMounts.build(
                        container(
                            "[{\"name\":\"scratch\",\"mountPath\":\"/data\"},{\"name\":\"cfg\",\"mountPath\":\"/data/\"}]"),
                        volumes))
            .getMessage());
  }

  @Test
  void aSymlinkOutOfTheVolumeIsRefused() throws Exception {
    Files.createSymbolicLink(scratch.resolve("evil"), Path.of("/etc"));
    VolumeException e =
        assertThrows(
            VolumeException.class,
            () ->
                ContainerMounts.build(
                    container("[{\"name\":\"scratch\",\"mountPath\":\"/x\",\"subPath\":\"evil\"}]"),
                    volumes));
    assertEquals(
        "failed to prepare subPath for volumeMount \"scratch\" of container \"app\"",
        e.getMessage());
  }
}
