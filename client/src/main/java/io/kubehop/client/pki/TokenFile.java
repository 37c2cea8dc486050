package io.kubehop.client.pki;

import io.kubehop.api.auth.StaticTokenFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The cluster's static token file ({@link StaticTokenFile}'s format, which the apiserver reads with
 * {@code --token-auth-file}): new tokens, and the file written and read back. Tokens are base64url
 * and never need quoting.
 */
final class TokenFile {

  private TokenFile() {
    throw new AssertionError("No instances.");
  }

  /** 32 random bytes, base64url without padding (43 characters). */
  static String newToken(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The file's text. */
  static byte[] format(List<StaticToken> tokens) {
    return StaticTokenFile.format(
            tokens.stream()
                .map(t -> new StaticTokenFile.Entry(t.token(), t.user(), t.uid(), t.groups()))
                .toList())
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Reads the file as the apiserver would; a line of fewer than three fields is an error. */
  static List<StaticToken> read(Path file) throws PkiException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PkiException("cannot read " + file + ": " + PemFiles.describe(e), e);
    }
    try {
      return StaticTokenFile.parse(lines, file.toString()).stream()
          .map(e -> new StaticToken(e.token(), e.user(), e.uid(), e.groups()))
          .toList();
    } catch (IllegalArgumentException malformed) {
      throw new PkiException("token file is invalid: " + malformed.getMessage(), malformed);
    }
  }
}
