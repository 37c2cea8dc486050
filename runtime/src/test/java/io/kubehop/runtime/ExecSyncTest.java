package io.kubehop.runtime;

import static io.kubehop.runtime.RuntimeFixture.assertStatus;
import static io.kubehop.runtime.RuntimeFixture.await;
import static io.kubehop.runtime.RuntimeFixture.containerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.cri.v1.ExecSyncRequest;
import io.kubehop.cri.v1.ExecSyncResponse;
import io.kubehop.cri.v1.KeyValue;
import io.kubehop.cri.v1.StopContainerRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRI ExecSync, which the kubelet's exec probes use: output, exit code, context, timeout. */
class ExecSyncTest {

  @TempDir static Path home;
  static RuntimeFixture rt;
  static String container;

  @BeforeAll
  static void start() throws Exception {
    rt = new RuntimeFixture(home, "127.20.209.0/24");
    container =
        rt.runContainer(
            "execsync",
            containerConfig("main", "busybox", List.of("sleep", "3600"))
                .addEnvs(KeyValue.newBuilder().setKey("GREETING").setValue("hi there")));
  }

  @AfterAll
  static void stop() throws Exception {
    rt.close();
  }

  private static ExecSyncResponse execSync(String id, long timeout, String... cmd)
      throws Exception {
    return await(
        rt.cri.execSync(
            ExecSyncRequest.newBuilder()
                .setContainerId(id)
                .addAllCmd(List.of(cmd))
                .setTimeout(timeout)
                .build()));
  }

  @Test
  void answersOutputAndExitCodeOfACommandInTheContainersContext() throws Exception {
    ExecSyncResponse r = execSync(container, 5, "sh", "-c", "echo $GREETING; echo err >&2; exit 3");
    assertEquals("hi there\n", r.getStdout().toStringUtf8());
    assertEquals("err\n", r.getStderr().toStringUtf8());
    assertEquals(3, r.getExitCode());
    assertEquals(0, execSync(container, 0, "true").getExitCode());
  }

  @Test
  void aMissingCommandExits127() throws Exception {
    ExecSyncResponse r = execSync(container, 5, "no-such-command");
    assertEquals(127, r.getExitCode());
    assertTrue(r.getStderr().toStringUtf8().contains("executable file not found"));
  }

  @Test
  void aCommandPastItsTimeoutIsKilledAndTheCallFails() throws Exception {
    long start = System.nanoTime();
    assertStatus(
        GrpcStatus.DEADLINE_EXCEEDED,
        () ->
            rt.cri.execSync(
                ExecSyncRequest.newBuilder()
                    .setContainerId(container)
                    .addAllCmd(List.of("sleep", "30"))
                    .setTimeout(1)
                    .build()));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(tookMs >= 900 && tookMs < 10_000, "took " + tookMs + " ms");
  }

  @Test
  void aContainerThatDoesNotRunRefuses() throws Exception {
    String stopped =
        rt.runContainer("stopped", containerConfig("main", "busybox", List.of("sleep", "3600")));
    await(
        rt.cri.stopContainer(
            StopContainerRequest.newBuilder().setContainerId(stopped).setTimeout(1).build()));
    assertStatus(
        GrpcStatus.FAILED_PRECONDITION,
        () ->
            rt.cri.execSync(
                ExecSyncRequest.newBuilder().setContainerId(stopped).addCmd("true").build()));
    assertStatus(
        GrpcStatus.NOT_FOUND,
        () ->
            rt.cri.execSync(
                ExecSyncRequest.newBuilder().setContainerId("nope").addCmd("true").build()));
  }
}
