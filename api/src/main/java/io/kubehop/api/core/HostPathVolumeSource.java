package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * core/v1 HostPathVolumeSource: a file or directory of the node shown in the pod.
 *
 * @param path the node's path
 * @param type "" (no check), DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice,
 *     BlockDevice
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HostPathVolumeSource(String path, String type) {}
