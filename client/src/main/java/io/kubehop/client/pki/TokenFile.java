package io.kubehop.client.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The static token file upstream's apiserver reads with {@code --token-auth-file}: CSV lines of
 * {@code token,user,uid,"group1,group2"}. The groups column is quoted because it holds commas
 * itself; tokens are base64url and never need quoting.
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
    StringBuilder out = new StringBuilder();
    for (StaticToken t : tokens) {
      out.append(t.token())
          .append(',')
          .append(t.user())
          .append(',')
          .append(t.uid())
          .append(",\"")
          .append(String.join(",", t.groups()))
          .append("\"\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Reads the file as the apiserver would; a line of fewer than three fields is an error. */
  static List<StaticToken> read(Path file) throws PkiException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PkiException("cannot read " + file + ": " + PemFiles.describe(e), e);
    }
    List<StaticToken> tokens = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      List<String> fields = fields(lines.get(i));
      if (fields.size() < 3) {
        throw new PkiException(
            file + ":" + (i + 1) + ": token file is invalid: fewer than 3 fields");
      }
      List<String> groups =
          fields.size() > 3 && !fields.get(3).isEmpty()
              ? List.of(fields.get(3).split(","))
              : List.of();
      tokens.add(new StaticToken(fields.get(0), fields.get(1), fields.get(2), groups));
    }
    return tokens;
  }

  /** One CSV record: comma-separated, a field in double quotes may hold commas and {@code ""}. */
  static List<String> fields(String line) {
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
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
