package io.kubehop.kubelet.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubehop.api.core.Pod;
import io.kubehop.api.json.ApiJson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DownwardApiTest {

  private static Pod pod() throws Exception {
    return ApiJson.read(
        """
        {"metadata":{"name":"p","namespace":"ns","uid":"u-1",
          "labels":{"zone":"a","app":"web"},
          "annotations":{"note":"say \\"hi\\"\\nbye\\\\","k":"tab\\tbell\\u0007\\u00e9\\u0085"}},
         "spec":{"containers":[{"name":"c"}]}}
        """,
        Pod.class);
  }

  @Test
  void formatsMapsAsUpstreamSortedQuotedNoTrailingNewline() throws Exception {
    Pod pod = pod();
    assertEquals("app=\"web\"\nzone=\"a\"", DownwardApi.fieldValue(pod, "metadata.labels"));
    assertEquals(
        "k=\"tab\\tbell\\aé\\u0085\"\nnote=\"say \\\"hi\\\"\\nbye\\\\\"",
        DownwardApi.fieldValue(pod, "metadata.annotations"));
  }

  @Test
  void goQuoteEscapes() {
    assertEquals(
        "\"\\x00\\x1f\\x7f \\u00a0\\U000e0001😀\"",
        DownwardApi.goQuote("\0\u001f\u007f \u00a0\uDB40\uDC01😀"));
  }

  @Test
  void scalarsAndSubscripts() throws Exception {
    Pod pod = pod();
    assertEquals("p", DownwardApi.fieldValue(pod, "metadata.name"));
    assertEquals("ns", DownwardApi.fieldValue(pod, "metadata.namespace"));
    assertEquals("u-1", DownwardApi.fieldValue(pod, "metadata.uid"));
    assertEquals("web", DownwardApi.fieldValue(pod, "metadata.labels['app']"));
    assertEquals("say \"hi\"\nbye\\", DownwardApi.fieldValue(pod, "metadata.annotations['note']"));
    assertEquals("", DownwardApi.fieldValue(pod, "metadata.labels['missing']"));
    assertEquals(
        "unsupported fieldPath: spec.nodeName",
        assertThrows(VolumeException.class, () -> DownwardApi.fieldValue(pod, "spec.nodeName"))
            .getMessage());
  }

  @Test
  void emptyMapIsEmptyFile() {
    assertEquals("", DownwardApi.formatMap(new LinkedHashMap<>(Map.of())));
  }
}
