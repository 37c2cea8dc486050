package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * core/v1 Volume (subset): the sources the kubelet materialises; a volume with none of them (a
 * {@code hostPath}, a {@code persistentVolumeClaim}, …) reads as one without a source.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Volume(
    String name,
    EmptyDirVolumeSource emptyDir,
    ConfigMapVolumeSource configMap,
    SecretVolumeSource secret,
    DownwardAPIVolumeSource downwardAPI,
    ProjectedVolumeSource projected) {}
