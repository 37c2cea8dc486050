package io.kubehop.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The known fields of the core/v1 objects, for server-side field validation ({@code
 * fieldValidation=Strict|Warn}). Objects listed here are closed (an unknown key is reported as
 * upstream's strict decoder does, e.g. {@code unknown field "spec.containers[0].foo"}); objects not
 * listed (probes, affinity, volume sources, status, labels, …) are open, so kubehop never rejects a
 * field it merely does not model.
 */
public final class FieldSchema {

  /** A closed object: its fields and, for the ones that are themselves closed, their type. */
  private record Type(Set<String> fields, Map<String, String> children) {}

  private static final Set<String> CONTAINER_FIELDS =
      Set.of(
          "name",
          "image",
          "command",
          "args",
          "workingDir",
          "ports",
          "envFrom",
          "env",
          "resources",
          "resizePolicy",
          "restartPolicy",
          "restartPolicyRules",
          "volumeMounts",
          "volumeDevices",
          "livenessProbe",
          "readinessProbe",
          "startupProbe",
          "lifecycle",
          "terminationMessagePath",
          "terminationMessagePolicy",
          "imagePullPolicy",
          "securityContext",
          "stdin",
          "stdinOnce",
          "tty",
          "targetContainerName");
  private static final Map<String, String> CONTAINER_CHILDREN =
      Map.of("ports", "ContainerPort", "env", "EnvVar", "volumeMounts", "VolumeMount");

  private static final Map<String, Type> TYPES =
      Map.of(
          "Pod",
              new Type(
                  Set.of("apiVersion", "kind", "metadata", "spec", "status"),
                  Map.of("metadata", "ObjectMeta", "spec", "PodSpec")),
          "Node",
              new Type(
                  Set.of("apiVersion", "kind", "metadata", "spec", "status"),
                  Map.of("metadata", "ObjectMeta")),
          "Namespace",
              new Type(
                  Set.of("apiVersion", "kind", "metadata", "spec", "status"),
                  Map.of("metadata", "ObjectMeta")),
          "ObjectMeta",
              new Type(
                  Set.of(
                      "name",
                      "generateName",
                      "namespace",
                      "selfLink",
                      "uid",
                      "resourceVersion",
                      "generation",
                      "creationTimestamp",
                      "deletionTimestamp",
                      "deletionGracePeriodSeconds",
                      "labels",
                      "annotations",
                      "ownerReferences",
                      "finalizers",
                      "managedFields"),
                  Map.of()),
          "PodSpec",
              new Type(
                  Set.of(
                      "volumes",
                      "initContainers",
                      "containers",
                      "ephemeralContainers",
                      "restartPolicy",
                      "terminationGracePeriodSeconds",
                      "activeDeadlineSeconds",
                      "dnsPolicy",
                      "nodeSelector",
                      "serviceAccountName",
                      "serviceAccount",
                      "automountServiceAccountToken",
                      "nodeName",
                      "hostNetwork",
                      "hostPID",
                      "hostIPC",
                      "shareProcessNamespace",
                      "securityContext",
                      "imagePullSecrets",
                      "hostname",
                      "subdomain",
                      "affinity",
                      "schedulerName",
                      "tolerations",
                      "hostAliases",
                      "priorityClassName",
                      "priority",
                      "dnsConfig",
                      "readinessGates",
                      "runtimeClassName",
                      "enableServiceLinks",
                      "preemptionPolicy",
                      "overhead",
                      "topologySpreadConstraints",
                      "setHostnameAsFQDN",
                      "os",
                      "hostUsers",
                      "schedulingGates",
                      "resourceClaims",
                      "resources",
                      "hostnameOverride"),
                  Map.of(
                      "containers",
                      "Container",
                      "initContainers",
                      "Container",
                      "ephemeralContainers",
                      "Container")),
          "Container", new Type(CONTAINER_FIELDS, CONTAINER_CHILDREN),
          "ContainerPort",
              new Type(Set.of("name", "hostPort", "containerPort", "protocol", "hostIP"), Map.of()),
          "EnvVar", new Type(Set.of("name", "value", "valueFrom"), Map.of()),
          "VolumeMount",
              new Type(
                  Set.of(
                      "name",
                      "readOnly",
                      "recursiveReadOnly",
                      "mountPath",
                      "subPath",
                      "mountPropagation",
                      "subPathExpr"),
                  Map.of()));

  private FieldSchema() {
    throw new AssertionError("No instances.");
  }

  /**
   * The paths of unknown fields in {@code object} of {@code kind}, formatted as upstream prints
   * them.
   */
  public static List<String> unknownFields(String kind, JsonNode object) {
    List<String> out = new ArrayList<>();
    walk(kind, object, "", out);
    return out;
  }

  private static void walk(String typeName, JsonNode node, String path, List<String> out) {
    Type type = TYPES.get(typeName);
    if (type == null || node == null || !node.isObject()) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      if (e.getKey().startsWith("$")) {
        continue; // strategic-merge-patch directives ($patch, $setElementOrder/…, $retainKeys)
      }
      if (!type.fields().contains(e.getKey())) {
        out.add(p);
        continue;
      }
      String child = type.children().get(e.getKey());
      if (child == null) {
        continue;
      }
      if (e.getValue().isArray()) {
        for (int i = 0; i < e.getValue().size(); i++) {
          walk(child, e.getValue().get(i), p + "[" + i + "]", out);
        }
      } else {
        walk(child, e.getValue(), p, out);
      }
    }
  }
}
