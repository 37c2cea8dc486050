package io.kubehop.apiserver.auth;

import io.kubehop.api.auth.StaticTokenFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's {@code --token-auth-file} ({@link StaticTokenFile}'s format) as the apiserver looks
 * tokens up in it.
 *
 * <p>Tokens are kept only as SHA-256 digests and looked up by digest, so a lookup's time does not
 * depend on how much of a token matched, and a heap dump holds no token.
 */
public final class TokenFile {

  private final Map<String, UserInfo> byDigest;

  private TokenFile(Map<String, UserInfo> byDigest) {
    this.byDigest = byDigest;
  }

  /** Reads {@code file}; a malformed line is an error naming its line number (never its token). */
  public static TokenFile read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  static TokenFile parse(List<String> lines, String source) {
    Map<String, UserInfo> users = new HashMap<>();
    for (StaticTokenFile.Entry e : StaticTokenFile.parse(lines, source)) {
      String uid = e.uid().isEmpty() ? null : e.uid();
      users.put(digest(e.token()), UserInfo.authenticated(e.user(), uid, e.groups()));
    }
    return new TokenFile(Map.copyOf(users));
  }

  /** The user {@code token} belongs to, if any. */
  public Optional<UserInfo> lookup(String token) {
    return Optional.ofNullable(byDigest.get(digest(token)));
  }

  public int size() {
    return byDigest.size();
  }

  private static String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always there", e);
    }
  }
}
