package io.kubehop.apiserver.util;

import io.kubehop.api.meta.StatusException;
import java.util.Set;

/**
 * Query booleans parsed exactly like Go's {@code strconv.ParseBool}, which the real apiserver uses.
 */
public final class ParseBool {

  private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
  private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

  private ParseBool() {
    throw new AssertionError("No instances.");
  }

  /** Parses {@code value}; throws IllegalArgumentException with Go's message for anything else. */
  public static boolean parse(String value) {
    if (TRUE.contains(value)) {
      return true;
    }
    if (FALSE.contains(value)) {
      return false;
    }
    throw new IllegalArgumentException(
        "strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
  }

  /** A query parameter: absent → {@code dflt}; malformed → 400 BadRequest. */
  public static boolean query(String name, String value, boolean dflt) {
    if (value == null) {
      return dflt;
    }
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw StatusException.badRequest(
          "invalid value for query parameter " + name + ": " + e.getMessage());
    }
  }
}
