package io.kubehop.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.apiserver.table.SecretTable;
import io.kubehop.apiserver.table.TableConvertor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Secrets: {@code type} defaults to {@code Opaque} and {@code stringData} is merged into {@code
 * data} and dropped (upstream's v1 defaults and conversion, which run on every decoded body);
 * upstream's {@code ValidateSecret} and {@code ValidateSecretUpdate}: valid keys, at most 1 MiB of
 * decoded data, the keys each built-in type requires, an unchanged {@code type}, and nothing
 * changes once {@code immutable} is true.
 */
public final class SecretStrategy implements ResourceStrategy {

  private static final Set<String> FIELDS = Set.of("metadata.name", "metadata.namespace", "type");

  private final TableConvertor table = new SecretTable();

  @Override
  public ResourceType type() {
    return ResourceType.SECRETS;
  }

  @Override
  public void prepareForCreate(ObjectNode secret) {
    normalize(secret);
  }

  @Override
  public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
    ObjectMetaDefaults.keepSystemFields(updated, old);
    normalize(updated);
  }

  /** Checks data's base64, merges stringData over it, defaults type. */
  static void normalize(ObjectNode secret) {
    for (JsonNode v : secret.path("data")) {
      DataValidation.base64Length("Secret", v.asText(""));
    }
    JsonNode stringData = secret.remove("stringData");
    if (stringData != null && stringData.isObject() && !stringData.isEmpty()) {
      ObjectNode data = secret.get("data") instanceof ObjectNode d ? d : secret.putObject("data");
      for (Iterator<Map.Entry<String, JsonNode>> it = stringData.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        data.put(
            e.getKey(),
            Base64.getEncoder()
                .encodeToString(e.getValue().asText("").getBytes(StandardCharsets.UTF_8)));
      }
    }
    if (secret.path("type").asText("").isEmpty()) {
      secret.put("type", "Opaque");
    }
  }

  @Override
  public List<StatusCause> validate(ObjectNode secret) {
    List<StatusCause> causes = ObjectMetaDefaults.validate(secret, false);
    JsonNode data = secret.path("data");
    long total = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      causes.addAll(DataValidation.key("data", e.getKey()));
      total += DataValidation.base64Length("Secret", e.getValue().asText(""));
    }
    if (total > DataValidation.MAX_SIZE) {
      causes.add(DataValidation.tooLong("data"));
    }
    switch (secret.path("type").asText("")) {
      case "kubernetes.io/service-account-token" -> {
        if (secret
            .path("metadata")
            .path("annotations")
            .path("kubernetes.io/service-account.name")
            .asText("")
            .isEmpty()) {
          causes.add(
              NameValidation.required(
                  "metadata.annotations[kubernetes.io/service-account.name]", null));
        }
      }
      case "kubernetes.io/dockercfg" -> requireKey(data, ".dockercfg", causes);
      case "kubernetes.io/dockerconfigjson" -> requireKey(data, ".dockerconfigjson", causes);
      case "kubernetes.io/basic-auth" -> {
        if (!data.has("username") && !data.has("password")) {
          causes.add(NameValidation.required("data[username]", null));
          causes.add(NameValidation.required("data[password]", null));
        }
      }
      case "kubernetes.io/ssh-auth" -> requireKey(data, "ssh-privatekey", causes);
      case "kubernetes.io/tls" -> {
        requireKey(data, "tls.crt", causes);
        requireKey(data, "tls.key", causes);
      }
      default -> {
        // Opaque and any other type: no required keys
      }
    }
    return causes;
  }

  private static void requireKey(JsonNode data, String key, List<StatusCause> causes) {
    if (!data.has(key)) {
      causes.add(NameValidation.required("data[" + key + "]", null));
    }
  }

  @Override
  public List<StatusCause> validateUpdate(ObjectNode updated, ObjectNode old) {
    List<StatusCause> causes = new ArrayList<>();
    String type = updated.path("type").asText("");
    if (!type.equals(old.path("type").asText(""))) {
      causes.add(NameValidation.invalid("type", type, "field is immutable"));
    }
    if (old.path("immutable").asBoolean(false)) {
      if (!updated.path("immutable").asBoolean(false)) {
        causes.add(DataValidation.forbidden("immutable", DataValidation.IMMUTABLE));
      }
      if (!DataValidation.same(updated.get("data"), old.get("data"))) {
        causes.add(DataValidation.forbidden("data", DataValidation.IMMUTABLE));
      }
    }
    causes.addAll(validate(updated));
    return causes;
  }

  @Override
  public Map<String, String> selectableFields(ObjectNode secret) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("metadata.name", secret.path("metadata").path("name").asText(""));
    f.put("metadata.namespace", secret.path("metadata").path("namespace").asText(""));
    f.put("type", secret.path("type").asText(""));
    return f;
  }

  @Override
  public Set<String> selectableFieldNames() {
    return FIELDS;
  }

  @Override
  public TableConvertor table() {
    return table;
  }
}
