package io.kubehop.client.pki;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * Writes the PKI's files with their permissions from the first byte: a secret is never readable by
 * others, not even for the moment between a write and a chmod. Each file is written under a
 * temporary name in its directory and renamed over the old one, so a crash leaves the old file or
 * the new one, never half a key.
 */
final class SecureFiles {

  /** Private keys, tokens and kubeconfigs: {@code rw-------}. */
  static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");

  /** Certificates: {@code rw-r--r--}, as kubeadm writes them. */
  static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  /** The pki directory and each node's: {@code rwx------}. */
  static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {
    throw new AssertionError("No instances.");
  }

  /** Creates {@code dir} (and missing parents) with {@code rwx------} unless it exists. */
  static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Files.createDirectories(dir.toAbsolutePath().getParent());
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  /** Writes {@code content} to {@code file} with {@code permissions}, replacing it atomically. */
  static void write(Path file, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    FileAttribute<Set<PosixFilePermission>> attribute =
        PosixFilePermissions.asFileAttribute(permissions);
    Path parent = file.toAbsolutePath().getParent();
    Path temporary = Files.createTempFile(parent, "." + file.getFileName(), ".tmp", attribute);
    try {
      Files.write(temporary, content);
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Writes {@code content} unless {@code file} already holds exactly it, so a file that did not
   * change keeps its modification time. Returns whether it wrote.
   */
  static boolean writeIfChanged(Path file, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    if (Files.isRegularFile(file)
        && Arrays.equals(Files.readAllBytes(file), content)
        && Files.getPosixFilePermissions(file).equals(permissions)) {
      return false;
    }
    write(file, content, permissions);
    return true;
  }
}
