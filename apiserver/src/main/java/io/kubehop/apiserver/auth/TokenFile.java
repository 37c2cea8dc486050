package io.kubehop.apiserver.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's {@code --token-auth-file}: a CSV of {@code token,user,uid[,"group1,group2"]}. Blank
 * lines and lines starting with {@code #} are skipped.
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
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> fields = csv(line);
      if (fields.size() < 3 || fields.get(0).isEmpty() || fields.get(1).isEmpty()) {
        throw new IllegalArgumentException(
            source + ":" + (i + 1) + ": want at least 3 columns: token,user,uid");
      }
      List<String> groups = new ArrayList<>();
      if (fields.size() > 3) {
        for (String g : fields.get(3).split(",")) {
          if (!g.strip().isEmpty()) {
            groups.add(g.strip());
          }
        }
      }
      String uid = fields.get(2).isEmpty() ? null : fields.get(2);
      if (users.put(digest(fields.get(0)), UserInfo.authenticated(fields.get(1), uid, groups))
          != null) {
        throw new IllegalArgumentException(source + ":" + (i + 1) + ": duplicate token");
      }
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

  /** One CSV record (RFC 4180 quoting, as Go's encoding/csv reads upstream's file). */
  static List<String> csv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString().strip());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString().strip());
    return fields;
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
