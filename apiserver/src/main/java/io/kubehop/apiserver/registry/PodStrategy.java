package io.kubehop.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.apiserver.table.PodTable;
import io.kubehop.apiserver.table.TableConvertor;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pods: upstream's defaults ({@code pkg/apis/core/v1/defaults.go}) and a subset of its validation.
 */
public final class PodStrategy implements ResourceStrategy {

  private static final Set<String> FIELDS =
      Set.of(
          "metadata.name",
          "metadata.namespace",
          "spec.nodeName",
          "spec.restartPolicy",
          "spec.schedulerName",
          "spec.serviceAccountName",
          "spec.hostNetwork",
          "status.phase",
          "status.podIP",
          "status.nominatedNodeName");

  private final TableConvertor table = new PodTable();

  @Override
  public ResourceType type() {
    return ResourceType.PODS;
  }

  /**
   * What upstream allows to change in a running pod's spec (pkg/apis/core/validation
   * ValidatePodUpdate).
   */
  static final String UPDATE_FORBIDDEN =
      "Forbidden: pod updates may not change fields other than "
          + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
          + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
          + "(allow it to be set to 1 if it was previously negative)";

  @Override
  public void prepareForCreate(ObjectNode pod) {
    defaultSpec(pod);
    ObjectNode status = pod.putObject("status");
    status.put("phase", "Pending");
    status.put("qosClass", "BestEffort");
  }

  /** The spec defaults, applied on create and, as upstream's decoder does, to every update. */
  private static void defaultSpec(ObjectNode pod) {
    ObjectNode spec = pod.get("spec") instanceof ObjectNode s ? s : pod.putObject("spec");
    putIfAbsent(spec, "restartPolicy", "Always");
    if (!spec.has("terminationGracePeriodSeconds")) {
      spec.put("terminationGracePeriodSeconds", 30);
    }
    putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    putIfAbsent(spec, "schedulerName", "default-scheduler");
    if (!spec.has("securityContext")) {
      spec.putObject("securityContext");
    }
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode container) {
          defaultContainer(container);
        }
      }
    }
  }

  private static void defaultContainer(ObjectNode c) {
    putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
    putIfAbsent(c, "terminationMessagePolicy", "File");
    String image = c.path("image").asText("");
    String afterSlash = image.substring(image.lastIndexOf('/') + 1);
    boolean latest =
        !afterSlash.contains(":") && !image.contains("@") || afterSlash.endsWith(":latest");
    putIfAbsent(c, "imagePullPolicy", latest ? "Always" : "IfNotPresent");
    if (!c.has("resources")) {
      c.putObject("resources");
    }
    for (JsonNode p : c.path("ports")) {
      if (p instanceof ObjectNode port) {
        putIfAbsent(port, "protocol", "TCP");
      }
    }
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      if (c.get(probe) instanceof ObjectNode p) {
        defaultProbe(p);
      }
    }
  }

  /** Upstream's SetDefaults_Probe and SetDefaults_HTTPGetAction. */
  private static void defaultProbe(ObjectNode p) {
    for (var d :
        List.of(
            Map.entry("timeoutSeconds", 1),
            Map.entry("periodSeconds", 10),
            Map.entry("successThreshold", 1),
            Map.entry("failureThreshold", 3))) {
      if (!p.hasNonNull(d.getKey()) || p.get(d.getKey()).asInt() == 0) {
        p.put(d.getKey(), d.getValue());
      }
    }
    if (p.get("httpGet") instanceof ObjectNode get) {
      if (get.path("path").asText("").isEmpty()) {
        get.put("path", "/");
      }
      if (get.path("scheme").asText("").isEmpty()) {
        get.put("scheme", "HTTP");
      }
    }
  }

  private static void putIfAbsent(ObjectNode o, String field, String value) {
    if (!o.hasNonNull(field)) {
      o.put(field, value);
    }
  }

  @Override
  public List<StatusCause> validate(ObjectNode pod) {
    List<StatusCause> causes = ObjectMetaDefaults.validate(pod, false);
    JsonNode spec = pod.path("spec");
    JsonNode containers = spec.path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      causes.add(NameValidation.required("spec.containers", null));
    }
    Set<String> names = new HashSet<>();
    validateContainers(spec.path("initContainers"), "spec.initContainers", names, causes);
    validateContainers(containers, "spec.containers", names, causes);
    String restart = spec.path("restartPolicy").asText("Always");
    if (!Set.of("Always", "OnFailure", "Never").contains(restart)) {
      causes.add(
          NameValidation.notSupported(
              "spec.restartPolicy", restart, "Always", "OnFailure", "Never"));
    }
    return causes;
  }

  private static void validateContainers(
      JsonNode list, String field, Set<String> names, List<StatusCause> causes) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode c = list.get(i);
      String path = field + "[" + i + "]";
      String name = c.path("name").asText("");
      if (name.isEmpty()) {
        causes.add(NameValidation.required(path + ".name", null));
      } else {
        StatusCause bad = NameValidation.dns1123Label(path + ".name", name);
        if (bad != null) {
          causes.add(bad);
        } else if (!names.add(name)) {
          causes.add(NameValidation.duplicate(path + ".name", name));
        }
      }
      if (c.path("image").asText("").isBlank()) {
        causes.add(NameValidation.required(path + ".image", null));
      }
    }
  }

  @Override
  public List<StatusCause> validateUpdate(ObjectNode updated, ObjectNode old) {
    List<StatusCause> causes = validate(updated);
    if (causes.isEmpty() && !mutableFieldsStripped(updated).equals(mutableFieldsStripped(old))) {
      causes.add(new StatusCause("FieldValueForbidden", UPDATE_FORBIDDEN, "spec"));
    }
    return causes;
  }

  private static JsonNode mutableFieldsStripped(ObjectNode pod) {
    ObjectNode spec =
        pod.path("spec").isObject() ? ((ObjectNode) pod.get("spec")).deepCopy() : pod.objectNode();
    spec.remove(List.of("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"));
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode container) {
          container.remove("image");
        }
      }
    }
    return spec;
  }

  @Override
  public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
    defaultSpec(updated);
    ObjectMetaDefaults.keepSystemFields(updated, old);
    if (old.has("status")) {
      updated.set("status", old.get("status"));
    }
  }

  @Override
  public Map<String, String> selectableFields(ObjectNode pod) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("metadata.name", pod.path("metadata").path("name").asText(""));
    f.put("metadata.namespace", pod.path("metadata").path("namespace").asText(""));
    JsonNode spec = pod.path("spec");
    f.put("spec.nodeName", spec.path("nodeName").asText(""));
    f.put("spec.restartPolicy", spec.path("restartPolicy").asText(""));
    f.put("spec.schedulerName", spec.path("schedulerName").asText(""));
    f.put("spec.serviceAccountName", spec.path("serviceAccountName").asText(""));
    f.put("spec.hostNetwork", Boolean.toString(spec.path("hostNetwork").asBoolean(false)));
    f.put("status.phase", pod.path("status").path("phase").asText(""));
    f.put("status.podIP", pod.path("status").path("podIP").asText(""));
    f.put("status.nominatedNodeName", pod.path("status").path("nominatedNodeName").asText(""));
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

  @Override
  public boolean deletesGracefully(ObjectNode pod, Long gracePeriodSeconds) {
    String node = pod.path("spec").path("nodeName").asText("");
    String phase = pod.path("status").path("phase").asText("");
    // Upstream (pod strategy CheckGracefulDelete): unbound pods and finished pods go at once.
    return !node.isEmpty()
        && !phase.equals("Succeeded")
        && !phase.equals("Failed")
        && (gracePeriodSeconds == null || gracePeriodSeconds > 0);
  }
}
