package io.kubehop.kubelet.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.core.KeyToPath;
import io.kubehop.api.json.ApiJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadsTest {

  private static JsonNode json(String s) throws Exception {
    return ApiJson.tree(s.getBytes(StandardCharsets.UTF_8));
  }

  private static FileProjection f(String text, int mode) {
    return new FileProjection(text.getBytes(StandardCharsets.UTF_8), mode);
  }

  private static final String CM =
      """
      {"metadata":{"name":"cm"},"data":{"a":"1","b":"two"},"binaryData":{"bin":"AAEC"}}
      """;

  @Test
  void configMapWithoutItemsIsEveryKeyWithTheDefaultMode() throws Exception {
    Map<String, FileProjection> p = Payloads.configMap(json(CM), List.of(), 0644, false);
    assertEquals(
        Map.of(
            "a",
            f("1", 0644),
            "b",
            f("two", 0644),
            "bin",
            new FileProjection(new byte[] {0, 1, 2}, 0644)),
        p);
  }

  @Test
  void itemsPickKeysPathsAndModes() throws Exception {
    Map<String, FileProjection> p =
        Payloads.configMap(
            json(CM),
            List.of(new KeyToPath("a", "conf/a.txt", 0400), new KeyToPath("bin", "b.bin", null)),
            0440,
            false);
    assertEquals(
        Map.of("conf/a.txt", f("1", 0400), "b.bin", new FileProjection(new byte[] {0, 1, 2}, 0440)),
        p);
  }

  @Test
  void aMissingKeyFailsUnlessOptional() throws Exception {
    List<KeyToPath> items =
        List.of(new KeyToPath("nope", "x", null), new KeyToPath("a", "a", null));
    assertEquals(
        "configmap references non-existent config key: nope",
        assertThrows(VolumeException.class, () -> Payloads.configMap(json(CM), items, 0644, false))
            .getMessage());
    assertEquals(Map.of("a", f("1", 0644)), Payloads.configMap(json(CM), items, 0644, true));
    assertEquals(Map.of(), Payloads.configMap(null, items, 0644, true));
  }

  @Test
  void secretDataIsDecoded() throws Exception {
    JsonNode s = json("{\"data\":{\"password\":\"czNjcjN0\",\"user\":\"YWRtaW4=\"}}");
    assertEquals(
        Map.of("password", f("s3cr3t", 0644), "user", f("admin", 0644)),
        Payloads.secret(s, List.of(), 0644, false));
    assertEquals(
        "secret references non-existent secret key: token",
        assertThrows(
                VolumeException.class,
                () -> Payloads.secret(s, List.of(new KeyToPath("token", "t", null)), 0644, false))
            .getMessage());
  }
}
