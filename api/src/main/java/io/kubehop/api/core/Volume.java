package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * core/v1 Volume (subset): the sources the kubelet materialises, and the node's own files ({@code
 * hostPath}); a volume with none of them (a {@code persistentVolumeClaim}, …) reads as one without
 * a source.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Volume(
    String name,
    EmptyDirVolumeSource emptyDir,
    ConfigMapVolumeSource configMap,
    SecretVolumeSource secret,
    DownwardAPIVolumeSource downwardAPI,
    ProjectedVolumeSource projected,
    HostPathVolumeSource hostPath) {

  /** A volume without a hostPath (the sources the kubelet writes). */
  public Volume(
      String name,
      EmptyDirVolumeSource emptyDir,
      ConfigMapVolumeSource configMap,
      SecretVolumeSource secret,
      DownwardAPIVolumeSource downwardAPI,
      ProjectedVolumeSource projected) {
    this(name, emptyDir, configMap, secret, downwardAPI, projected, null);
  }
}
