package io.kubehop.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.api.meta.StatusException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The checks ConfigMaps and Secrets share, with upstream's messages: their keys ({@code
 * k8s.io/apimachinery/pkg/util/validation.IsConfigMapKey}), their 1 MiB limit ({@code
 * core.MaxSecretSize}), the immutability of {@code immutable} objects, and the base64 their byte
 * fields travel in.
 */
public final class DataValidation {

  /** {@code core.MaxSecretSize}, which ConfigMaps share. */
  public static final int MAX_SIZE = 1024 * 1024;

  static final String IMMUTABLE = "field is immutable when `immutable` is set";

  private static final String KEY_FMT = "[-._a-zA-Z0-9]+";
  private static final Pattern KEY = Pattern.compile(KEY_FMT);
  private static final String KEY_MSG =
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
          + "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '"
          + KEY_FMT
          + "')";

  private DataValidation() {
    throw new AssertionError("No instances.");
  }

  /** The causes of one key of {@code bag} ("data", "binaryData"); empty when valid. */
  static List<StatusCause> key(String bag, String key) {
    List<StatusCause> causes = new ArrayList<>();
    String field = bag + "[" + key + "]";
    if (key.length() > 253) {
      causes.add(NameValidation.invalid(field, key, "must be no more than 253 characters"));
    }
    if (!KEY.matcher(key).matches()) {
      causes.add(NameValidation.invalid(field, key, KEY_MSG));
    }
    if (key.equals(".")) {
      causes.add(NameValidation.invalid(field, key, "must not be '.'"));
    } else if (key.equals("..")) {
      causes.add(NameValidation.invalid(field, key, "must not be '..'"));
    } else if (key.startsWith("..")) {
      causes.add(NameValidation.invalid(field, key, "must not start with '..'"));
    }
    return causes;
  }

  /**
   * {@code field.TooLong}, which names no value: "Too long: must have at most 1048576 bytes" (the
   * detail upstream gives since 1.32; older releases said "may not be more than").
   */
  static StatusCause tooLong(String field) {
    return new StatusCause(
        "FieldValueTooLong", "Too long: must have at most " + MAX_SIZE + " bytes", field);
  }

  static StatusCause forbidden(String field, String detail) {
    return new StatusCause("FieldValueForbidden", "Forbidden: " + detail, field);
  }

  /** UTF-8 length of a string value, as Go's {@code len(string)}. */
  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The decoded length of a {@code []byte} field's base64 text; a 400 with the message Go's JSON
   * decoder gives when it is not standard padded base64, as upstream fails the decode of such a
   * body before any validation.
   */
  static int base64Length(String kind, String text) {
    int bad = badBase64Offset(text);
    if (bad >= 0) {
      throw StatusException.badRequest(
          kind
              + " in version \"v1\" cannot be handled as a "
              + kind
              + ": illegal base64 data at input byte "
              + bad);
    }
    int pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
    return text.length() / 4 * 3 - pad;
  }

  /**
   * -1 for valid standard base64 with padding; else the input offset Go's {@code
   * base64.CorruptInputError} reports (close to it for truncated input: the length).
   */
  static int badBase64Offset(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean alphabet =
          c >= 'A' && c <= 'Z'
              || c >= 'a' && c <= 'z'
              || c >= '0' && c <= '9'
              || c == '+'
              || c == '/';
      if (alphabet) {
        continue;
      }
      if (c == '=' && i >= n - 2 && n % 4 == 0 && (i == n - 1 || s.charAt(n - 1) == '=')) {
        continue; // padding: the last one or two characters of a whole quantum
      }
      return i;
    }
    return n % 4 == 0 ? -1 : n;
  }

  /** Two optional JSON values the same, as Go's reflect.DeepEqual of the decoded maps. */
  static boolean same(JsonNode a, JsonNode b) {
    return Objects.equals(
        a == null || a.isMissingNode() || a.isNull() ? null : a,
        b == null || b.isMissingNode() || b.isNull() ? null : b);
  }
}
