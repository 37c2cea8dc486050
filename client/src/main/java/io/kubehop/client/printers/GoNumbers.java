package io.kubehop.client.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * JSON numbers as kubectl prints them after decoding into Go values: integers are {@code int64},
 * everything else {@code float64} in Go's shortest form. {@link #json} is {@code encoding/json}'s
 * format, {@link #sprint} {@code fmt.Sprint}'s (Table cells), {@link #yaml} what {@code JSONToYAML}
 * ends up writing.
 */
final class GoNumbers {

  private GoNumbers() {
    throw new AssertionError("No instances.");
  }

  /**
   * {@code encoding/json}: exponent form below 1e-6 and from 1e21, written {@code 1e-7}, {@code
   * 1e+21}.
   */
  static String json(JsonNode number) {
    if (number.isIntegralNumber()) {
      return number.bigIntegerValue().toString();
    }
    double d = number.doubleValue();
    double abs = Math.abs(d);
    return abs != 0 && (abs < 1e-6 || abs >= 1e21) ? exponent(d, false) : plain(d);
  }

  /**
   * {@code fmt.Sprint(float64)}: {@code %g} with the shortest digits, exponent form below 1e-4 and
   * from 1e21.
   */
  static String sprint(JsonNode number) {
    if (number.isIntegralNumber()) {
      return number.bigIntegerValue().toString();
    }
    double d = number.doubleValue();
    int exp = exponentOf(d);
    return d != 0 && (exp < -4 || exp >= 21) ? exponent(d, true) : plain(d);
  }

  /**
   * {@code JSONToYAML}: the JSON text is read back by go-yaml (integers stay integers, so {@code
   * 1.0}, which Go's JSON writes as {@code 1}, becomes {@code 1}) and floats are written with
   * {@code FormatFloat(f, 'g', -1, 64)}.
   */
  static String yaml(JsonNode number) {
    String json = json(number);
    if (json.matches("-?[0-9]+")) {
      return json;
    }
    double d = Double.parseDouble(json);
    int exp = exponentOf(d);
    return d != 0 && (exp < -4 || exp >= 6) ? exponent(d, true) : plain(d);
  }

  private static BigDecimal shortest(double d) {
    return new BigDecimal(Double.toString(d)).stripTrailingZeros();
  }

  private static int exponentOf(double d) {
    BigDecimal b = shortest(d);
    return d == 0 ? 0 : b.precision() - b.scale() - 1;
  }

  private static String plain(double d) {
    return d == 0 ? "0" : shortest(d).toPlainString();
  }

  /**
   * {@code 1.5e+21}; {@code padded} writes at least two exponent digits ({@code 1e-07}), as %e
   * does.
   */
  private static String exponent(double d, boolean padded) {
    BigDecimal b = shortest(d);
    String digits = b.unscaledValue().abs().toString();
    int exp = exponentOf(d);
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String e = Integer.toString(Math.abs(exp));
    return (d < 0 ? "-" : "")
        + mantissa
        + "e"
        + (exp < 0 ? "-" : "+")
        + (padded && e.length() < 2 ? "0" + e : e);
  }
}
