package io.kubehop.client.apply;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads manifests: YAML (several documents separated by {@code ---}) or JSON. Keys keep the file's
 * order; empty documents are skipped, and a {@code kind: List} contributes its items.
 */
public final class ManifestReader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ManifestReader() {
    throw new AssertionError("No instances.");
  }

  /**
   * @param source the file name for messages ({@code -} for stdin)
   */
  public static List<JsonNode> read(byte[] content, String source) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    try (JsonParser parser = YAML.getFactory().createParser(content);
        MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        if (doc == null
            || doc.isNull()
            || doc.isMissingNode()
            || doc.isEmpty() && !doc.isObject()) {
          continue;
        }
        if (!doc.isObject()) {
          throw new IOException(
              "error validating \"" + source + "\": the document is not an object");
        }
        if ("List".equals(doc.path("kind").asText()) && doc.has("items")) {
          doc.path("items").forEach(objects::add);
        } else if (!doc.isEmpty()) {
          objects.add(doc);
        }
      }
    } catch (JacksonException e) {
      throw new IOException("error parsing " + source + ": " + e.getOriginalMessage(), e);
    }
    return objects;
  }
}
