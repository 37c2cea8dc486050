package io.kubehop.client.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * JSON numbers printed as kubectl prints them after decoding into Go values: integers as {@code int64}, others as
 * {@code float64} in Go's shortest form (integral floats such as {@code 1.0} print as {@code 1}).
 */
final class GoNumbers {

  private GoNumbers() {
    throw new AssertionError("No instances.");
  }

  static String format(JsonNode number) {
    if (number.isIntegralNumber()) {
      return number.bigIntegerValue().toString();
    }
    double d = number.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return Double.toString(d);
    }
    BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    double abs = Math.abs(d);
    if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
      // Go writes 1e+21 and 1e-07; Java writes 1.0E21 and 1.0E-7.
      String s = exact.toString().replace("E", "e");
      return s.contains("e-") ? s.replaceAll("e-(\\d)$", "e-0$1") : s.replaceAll("e\\+?(\\d)$", "e+0$1");
    }
    return exact.toPlainString();
  }
}
