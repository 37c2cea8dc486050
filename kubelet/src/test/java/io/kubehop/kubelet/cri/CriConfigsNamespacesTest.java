package io.kubehop.kubelet.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.api.core.Pod;
import io.kubehop.api.json.ApiJson;
import io.kubehop.cri.v1.Mount;
import io.kubehop.cri.v1.NamespaceMode;
import io.kubehop.cri.v1.NamespaceOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CriConfigsNamespacesTest {

  private static Pod pod(String specExtra) throws Exception {
    return ApiJson.read(
        "{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\",\"uid\":\"u\"},"
            + "\"spec\":{\"containers\":[{\"name\":\"c\"}]"
            + specExtra
            + "}}",
        Pod.class);
  }

  @ParameterizedTest
  @CsvSource({
    "'', POD, CONTAINER, POD",
    "',\"shareProcessNamespace\":true', POD, POD, POD",
    "',\"hostPID\":true,\"shareProcessNamespace\":true', POD, NODE, POD",
    "',\"hostNetwork\":true,\"hostIPC\":true', NODE, CONTAINER, NODE",
  })
  void sandboxAndContainersShareTheNamespaceOptions(
      String extra, NamespaceMode network, NamespaceMode pid, NamespaceMode ipc) throws Exception {
    Pod pod = pod(extra);
    NamespaceOption expected =
        NamespaceOption.newBuilder().setNetwork(network).setPid(pid).setIpc(ipc).build();
    assertEquals(
        expected,
        CriConfigs.sandboxConfig(pod, Path.of("/logs"), 0)
            .getLinux()
            .getSecurityContext()
            .getNamespaceOptions());
    Mount m =
        Mount.newBuilder().setContainerPath("/opt").setHostPath("/h").setReadonly(true).build();
    var config = CriConfigs.containerConfig(pod, pod.spec().containers().get(0), 0, List.of(m));
    assertEquals(expected, config.getLinux().getSecurityContext().getNamespaceOptions());
    assertEquals(List.of(m), config.getMountsList());
  }
}
