package io.kubehop.client.printers;

import java.math.BigDecimal;

/**
 * The few {@code resource.Quantity} operations describe needs: parse a quantity string, and print a
 * total as Kubernetes would (millicores for fractional CPU, binary suffixes for whole memory
 * multiples).
 */
final class Quantities {

  private static final String[] BINARY = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final String[] DECIMAL = {"k", "M", "G", "T", "P", "E"};

  private Quantities() {
    throw new AssertionError("No instances.");
  }

  static BigDecimal parse(String quantity) {
    if (quantity.isEmpty()) {
      return BigDecimal.ZERO;
    }
    for (int i = 0; i < BINARY.length; i++) {
      if (quantity.endsWith(BINARY[i])) {
        return number(quantity, 2).multiply(BigDecimal.valueOf(1024).pow(i + 1));
      }
    }
    for (int i = 0; i < DECIMAL.length; i++) {
      if (quantity.endsWith(DECIMAL[i])) {
        return number(quantity, 1).multiply(BigDecimal.valueOf(1000).pow(i + 1));
      }
    }
    if (quantity.endsWith("m")) {
      return number(quantity, 1).movePointLeft(3);
    }
    return new BigDecimal(quantity);
  }

  private static BigDecimal number(String quantity, int suffix) {
    return new BigDecimal(quantity.substring(0, quantity.length() - suffix));
  }

  static String format(BigDecimal value, boolean cpu) {
    if (value.signum() == 0) {
      return "0";
    }
    if (cpu) {
      return value.stripTrailingZeros().scale() <= 0
          ? value.toBigInteger().toString()
          : value.movePointRight(3).toBigInteger() + "m";
    }
    BigDecimal v = value;
    int i = -1;
    while (i + 1 < BINARY.length
        && v.remainder(BigDecimal.valueOf(1024)).signum() == 0
        && v.compareTo(BigDecimal.valueOf(1024)) >= 0) {
      v = v.divide(BigDecimal.valueOf(1024));
      i++;
    }
    return v.toBigInteger() + (i < 0 ? "" : BINARY[i]);
  }
}
