package io.kubehop.apiserver.patch;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusException;

/**
 * The three patch kinds kubectl sends, applied to any object with any patch: a result, or a {@link
 * StatusException} (the 4xx the client gets); never another exception, which would be a 500.
 */
class PatchFuzzTest {

  private record Pair(JsonNode target, JsonNode patch) {}

  private static Pair pair(FuzzedDataProvider data) {
    try {
      JsonNode target = ApiJson.mapper().readTree(data.consumeString(512));
      JsonNode patch = ApiJson.mapper().readTree(data.consumeRemainingAsString());
      return target == null || patch == null ? null : new Pair(target, patch);
    } catch (JsonProcessingException notJson) {
      return null; // the decoder's 400, before any patch code runs
    }
  }

  @FuzzTest(maxDuration = "30s")
  void jsonPatchIsAResultOrAStatus(FuzzedDataProvider data) {
    Pair p = pair(data);
    if (p != null) {
      try {
        JsonPatch.apply(p.target(), p.patch());
      } catch (StatusException refused) {
        // a 4xx
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  void mergePatchIsAResultOrAStatus(FuzzedDataProvider data) {
    Pair p = pair(data);
    if (p != null) {
      try {
        JsonMergePatch.apply(p.target(), p.patch());
      } catch (StatusException refused) {
        // a 4xx
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  void strategicMergePatchIsAResultOrAStatus(FuzzedDataProvider data) {
    Pair p = pair(data);
    if (p != null
        && p.target() instanceof ObjectNode target
        && p.patch() instanceof ObjectNode patch) {
      try {
        StrategicMergePatch.apply(target, patch);
      } catch (StatusException refused) {
        // a 4xx
      }
    }
  }
}
