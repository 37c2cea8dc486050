package io.kubehop.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.api.meta.Times;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What every created object gets (upstream's {@code rest.FillObjectMetaSystemFields}), and metadata
 * checks.
 */
public final class ObjectMetaDefaults {

  private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ObjectMetaDefaults() {
    throw new AssertionError("No instances.");
  }

  /** uid, creationTimestamp, name from generateName; drops client-set system fields. */
  public static void fill(ObjectNode object) {
    ObjectNode meta = Meta.metadata(object);
    String name = Meta.text(meta.get("name"));
    String generateName = Meta.text(meta.get("generateName"));
    if ((name == null || name.isEmpty()) && generateName != null && !generateName.isEmpty()) {
      meta.put("name", generateName + randomSuffix());
    }
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", Times.now());
    meta.remove("deletionTimestamp");
    meta.remove("deletionGracePeriodSeconds");
    meta.remove("resourceVersion");
    meta.remove("selfLink");
  }

  private static String randomSuffix() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(ALPHANUMS.charAt(RANDOM.nextInt(ALPHANUMS.length())));
    }
    return sb.toString();
  }

  /** Name checks shared by all resources. */
  public static List<StatusCause> validate(ObjectNode object, boolean label) {
    List<StatusCause> causes = new ArrayList<>();
    String name = Meta.name(object);
    if (name == null || name.isEmpty()) {
      causes.add(NameValidation.required("metadata.name", "name or generateName is required"));
    } else {
      StatusCause c =
          label
              ? NameValidation.dns1123Label("metadata.name", name)
              : NameValidation.dns1123Subdomain("metadata.name", name);
      if (c != null) {
        causes.add(c);
      }
    }
    return causes;
  }

  /**
   * Carries the system fields of {@code old} over to {@code updated} (clients cannot change them).
   */
  public static void keepSystemFields(ObjectNode updated, ObjectNode old) {
    ObjectNode meta = Meta.metadata(updated);
    ObjectNode oldMeta = Meta.metadata(old);
    for (String f :
        List.of(
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "namespace",
            "name")) {
      if (oldMeta.has(f)) {
        meta.set(f, oldMeta.get(f));
      } else {
        meta.remove(f);
      }
    }
  }
}
