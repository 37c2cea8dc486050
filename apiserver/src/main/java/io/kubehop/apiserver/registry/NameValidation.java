package io.kubehop.apiserver.registry;

import io.kubehop.api.meta.StatusCause;
import java.util.regex.Pattern;

/** Name checks with upstream's exact messages ({@code k8s.io/apimachinery/pkg/util/validation}). */
public final class NameValidation {

  public static final String FIELD_VALUE_INVALID = "FieldValueInvalid";
  public static final String FIELD_VALUE_REQUIRED = "FieldValueRequired";
  public static final String FIELD_VALUE_DUPLICATE = "FieldValueDuplicate";
  public static final String FIELD_VALUE_NOT_SUPPORTED = "FieldValueNotSupported";

  private static final String LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String SUBDOMAIN_FMT = LABEL_FMT + "(\\." + LABEL_FMT + ")*";
  private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_FMT);
  private static final Pattern LABEL = Pattern.compile(LABEL_FMT);

  private static final String SUBDOMAIN_MSG =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
          + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
          + "used for validation is '"
          + SUBDOMAIN_FMT
          + "')";
  private static final String LABEL_MSG =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric "
          + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
          + "regex used for validation is '"
          + LABEL_FMT
          + "')";

  private NameValidation() {
    throw new AssertionError("No instances.");
  }

  /** null when valid, else the cause for {@code field}. */
  public static StatusCause dns1123Subdomain(String field, String value) {
    if (value.length() > 253) {
      return invalid(field, value, "must be no more than 253 characters");
    }
    return SUBDOMAIN.matcher(value).matches() ? null : invalid(field, value, SUBDOMAIN_MSG);
  }

  public static StatusCause dns1123Label(String field, String value) {
    if (value.length() > 63) {
      return invalid(field, value, "must be no more than 63 characters");
    }
    return LABEL.matcher(value).matches() ? null : invalid(field, value, LABEL_MSG);
  }

  public static StatusCause invalid(String field, String value, String detail) {
    return new StatusCause(
        FIELD_VALUE_INVALID, "Invalid value: \"" + value + "\": " + detail, field);
  }

  public static StatusCause required(String field, String detail) {
    return new StatusCause(
        FIELD_VALUE_REQUIRED,
        detail == null ? "Required value" : "Required value: " + detail,
        field);
  }

  public static StatusCause duplicate(String field, String value) {
    return new StatusCause(FIELD_VALUE_DUPLICATE, "Duplicate value: \"" + value + "\"", field);
  }

  public static StatusCause notSupported(String field, String value, String... supported) {
    StringBuilder sb =
        new StringBuilder("Unsupported value: \"").append(value).append("\": supported values: ");
    for (int i = 0; i < supported.length; i++) {
      sb.append(i > 0 ? ", " : "").append('"').append(supported[i]).append('"');
    }
    return new StatusCause(FIELD_VALUE_NOT_SUPPORTED, sb.toString(), field);
  }
}
