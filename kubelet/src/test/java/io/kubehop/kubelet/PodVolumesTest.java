package io.kubehop.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.cri.v1.ContainerConfig;
import io.kubehop.cri.v1.CreateContainerRequest;
import io.kubehop.cri.v1.Mount;
import io.kubehop.cri.v1.NamespaceMode;
import io.kubehop.cri.v1.RunPodSandboxRequest;
import io.kubehop.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kubelet between the fake apiserver and the fake runtime, with pod volumes. */
class PodVolumesTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path home;

  private KubeletHarness h;

  @BeforeEach
  void start() throws Exception {
    h = new KubeletHarness(home);
    h.startKubelet();
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
  }

  private static String pod(String name, String volumes, String mounts) {
    return """
        {"metadata":{"name":"%s","namespace":"default"},
         "spec":{"nodeName":"node-t","shareProcessNamespace":true,
           "containers":[{"name":"main","image":"busybox","volumeMounts":%s}],
           "volumes":%s}}
        """
        .formatted(name, mounts, volumes);
  }

  private JsonNode waiting(String name) {
    JsonNode pod = h.api.pod("default", name);
    return pod == null ? null : pod.at("/status/containerStatuses/0/state/waiting");
  }

  private void serveObjects() {
    h.api.objects.put(
        "/api/v1/namespaces/default/configmaps/game",
        "{\"metadata\":{\"name\":\"game\"},\"data\":{\"lives\":\"3\",\"level\":\"9\"}}");
    h.api.objects.put(
        "/api/v1/namespaces/default/secrets/creds",
        "{\"metadata\":{\"name\":\"creds\"},\"data\":{\"token\":\"czNjcjN0\"}}");
  }

  private static final String VOLUMES =
      """
      [{"name":"cfg","configMap":{"name":"game","items":[{"key":"lives","path":"lives.txt"}]}},
       {"name":"sec","secret":{"secretName":"creds"}},
       {"name":"scratch","emptyDir":{}}]
      """;

  private static final String MOUNTS =
      """
      [{"name":"cfg","mountPath":"/opt"},
       {"name":"sec","mountPath":"/etc/token","subPath":"token"},
       {"name":"scratch","mountPath":"/data"}]
      """;

  @Test
  void createsTheContainerWithItsMountsAndRemovesTheVolumesWithThePod() throws Exception {
    serveObjects();
    String uid = h.api.createPod(pod("web", VOLUMES, MOUNTS)).at("/metadata/uid").asText();
    Await.until("container created", WAIT, () -> !h.runtime.calls("CreateContainer").isEmpty());
    ContainerConfig config =
        ((CreateContainerRequest) h.runtime.calls("CreateContainer").get(0).request()).getConfig();
    Path vols = home.resolve("nodes/node-t/kubelet/pods").resolve(uid).resolve("volumes");
    Path sec = vols.resolve("kubernetes.io~secret/sec");
    Path token = sec.resolve(Files.readSymbolicLink(sec.resolve("..data"))).resolve("token");
    assertEquals(
        List.of(
            mount("/opt", vols.resolve("kubernetes.io~configmap/cfg"), true),
            mount("/etc/token", token, true),
            mount("/data", vols.resolve("kubernetes.io~empty-dir/scratch"), false)),
        config.getMountsList());
    assertEquals("s3cr3t", Files.readString(token));
    assertEquals("3", Files.readString(vols.resolve("kubernetes.io~configmap/cfg/lives.txt")));
    assertEquals(
        NamespaceMode.POD, config.getLinux().getSecurityContext().getNamespaceOptions().getPid());
    RunPodSandboxRequest run =
        (RunPodSandboxRequest) h.runtime.calls("RunPodSandbox").get(0).request();
    assertEquals(
        NamespaceMode.POD,
        run.getConfig().getLinux().getSecurityContext().getNamespaceOptions().getPid());

    h.api.removePod("default", "web");
    Await.until(
        "pod directory removed",
        WAIT,
        () -> !Files.exists(home.resolve("nodes/node-t/kubelet/pods").resolve(uid)));
  }

  @Test
  void aMissingConfigMapKeepsThePodInContainerCreatingUntilItExists() throws Exception {
    h.api.createPod(pod("web", VOLUMES, MOUNTS));
    Await.until(
        "status reported", WAIT, () -> waiting("web") != null && !waiting("web").isMissingNode());
    assertEquals("ContainerCreating", waiting("web").path("reason").asText());
    assertTrue(h.runtime.calls("CreateContainer").isEmpty());
    serveObjects();
    Await.until("container created", WAIT, () -> !h.runtime.calls("CreateContainer").isEmpty());
  }

  @Test
  void anEscapingSubPathIsACreateContainerConfigError() throws Exception {
    h.api.createPod(
        pod(
            "web",
            "[{\"name\":\"scratch\",\"emptyDir\":{}}]",
            "[{\"name\":\"scratch\",\"mountPath\":\"/data\",\"subPath\":\"../x\"}]"));
    Await.until(
        "CreateContainerConfigError",
        WAIT,
        () ->
            waiting("web") != null
                && "CreateContainerConfigError".equals(waiting("web").path("reason").asText()));
    assertEquals(
        "unable to provision SubPath `../x`: must not contain '..'",
        waiting("web").path("message").asText());
    assertTrue(h.runtime.calls("CreateContainer").isEmpty());
  }

  private static Mount mount(String containerPath, Path host, boolean ro) throws Exception {
    return Mount.newBuilder()
        .setContainerPath(containerPath)
        .setHostPath(host.toRealPath().toString())
        .setReadonly(ro)
        .build();
  }
}
