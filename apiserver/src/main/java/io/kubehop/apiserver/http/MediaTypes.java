package io.kubehop.apiserver.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Accept-header negotiation for the two special forms kubectl asks for: Tables and aggregated
 * discovery.
 */
public final class MediaTypes {

  public static final String DISCOVERY_V2 =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
  public static final String DISCOVERY_V2BETA1 =
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

  private MediaTypes() {
    throw new AssertionError("No instances.");
  }

  /** One media range: its type and parameters, lower-cased keys. */
  record Range(String type, Map<String, String> params) {}

  static List<Range> parse(String accept) {
    List<Range> out = new ArrayList<>();
    if (accept == null) {
      return out;
    }
    for (String part : accept.split(",")) {
      String[] bits = part.trim().split(";");
      Map<String, String> params = new HashMap<>();
      for (int i = 1; i < bits.length; i++) {
        int eq = bits[i].indexOf('=');
        if (eq > 0) {
          params.put(
              bits[i].substring(0, eq).trim().toLowerCase(Locale.ROOT),
              bits[i].substring(eq + 1).trim());
        }
      }
      out.add(new Range(bits[0].trim().toLowerCase(Locale.ROOT), params));
    }
    return out;
  }

  /**
   * The Table version ({@code v1} or {@code v1beta1}) when the client's first acceptable JSON form
   * is a Table, else null (plain objects).
   */
  public static String tableVersion(String accept) {
    for (Range r : parse(accept)) {
      if (!r.type.equals("application/json")
          && !r.type.equals("*/*")
          && !r.type.equals("application/*")) {
        continue;
      }
      String as = r.params.get("as");
      if (as == null) {
        return null;
      }
      if (as.equals("Table") && "meta.k8s.io".equals(r.params.get("g"))) {
        String v = r.params.getOrDefault("v", "v1");
        if (v.equals("v1") || v.equals("v1beta1")) {
          return v;
        }
      }
    }
    return null;
  }

  /**
   * The aggregated discovery content type the client prefers ({@link #DISCOVERY_V2} or {@link
   * #DISCOVERY_V2BETA1}), or null for the legacy form.
   */
  public static String discovery(String accept) {
    for (Range r : parse(accept)) {
      if (!r.type.equals("application/json") && !r.type.equals("*/*")) {
        continue;
      }
      String as = r.params.get("as");
      if (as == null) {
        return null;
      }
      if (as.equals("APIGroupDiscoveryList") && "apidiscovery.k8s.io".equals(r.params.get("g"))) {
        if ("v2".equals(r.params.get("v"))) {
          return DISCOVERY_V2;
        }
        if ("v2beta1".equals(r.params.get("v"))) {
          return DISCOVERY_V2BETA1;
        }
      }
    }
    return null;
  }
}
