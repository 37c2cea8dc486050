package io.kubehop.client.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.Set;
import java.util.regex.Pattern;

/** go-yaml v2's decisions for one scalar: its style, its escapes, and the order of mapping keys. */
final class GoYamlStyle {

  enum Style {
    PLAIN,
    SINGLE_QUOTED,
    DOUBLE_QUOTED,
    LITERAL
  }

  /**
   * go-yaml v2 {@code keyList.Less}: digit runs compare as numbers, non-letters sort before
   * letters.
   */
  static final Comparator<String> KEY_ORDER = (a, b) -> less(a, b) ? -1 : less(b, a) ? 1 : 0;

  private static final Set<String> RESERVED =
      Set.of(
          "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
          "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
          "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
          "-.inf", "-.Inf", "-.INF");
  private static final Pattern INT =
      Pattern.compile("[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)");
  private static final Pattern FLOAT =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final Pattern TIMESTAMP =
      Pattern.compile(
          "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2}))"
              + "|( [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\\.[0-9]+)?))?");
  private static final Pattern BASE60 =
      Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");

  private GoYamlStyle() {
    throw new AssertionError("No instances.");
  }

  /** The style go-yaml's encoder requests ({@code stringv}) and its emitter then settles on. */
  static Style select(String s, boolean simpleKey) {
    Style requested =
        s.contains("\n")
            ? Style.LITERAL
            : resolvesToString(s) && !BASE60.matcher(s).matches()
                ? Style.PLAIN
                : Style.DOUBLE_QUOTED;
    Analysis a = Analysis.of(s);
    if (simpleKey && a.multiline) {
      return Style.DOUBLE_QUOTED;
    }
    Style style = requested;
    if (style == Style.PLAIN && !a.blockPlainAllowed) {
      style = Style.SINGLE_QUOTED;
    }
    if (style == Style.SINGLE_QUOTED && !a.singleQuotedAllowed) {
      style = Style.DOUBLE_QUOTED;
    }
    if (style == Style.LITERAL && (!a.blockAllowed || simpleKey)) {
      style = Style.DOUBLE_QUOTED;
    }
    return style;
  }

  /**
   * go-yaml v2 {@code resolve("", s)} yields {@code !!str}: written plain, the string reads back as
   * a string.
   */
  static boolean resolvesToString(String s) {
    if (RESERVED.contains(s)) {
      return false;
    }
    char first = s.charAt(0);
    if (first == '.') {
      return !FLOAT.matcher(s).matches();
    }
    if (first == '+' || first == '-' || first >= '0' && first <= '9') {
      String plain = s.replace("_", "");
      return !(TIMESTAMP.matcher(s).matches()
          || INT.matcher(plain).matches()
          || FLOAT.matcher(plain).matches());
    }
    return true;
  }

  static boolean isPrintable(int c) {
    return c == 0x0A
        || c >= 0x20 && c <= 0x7E
        || c >= 0xA0 && c <= 0xD7FF
        || c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF;
  }

  static boolean isBreak(int c) {
    return c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
  }

  private static boolean isBlankz(int[] cps, int i) {
    return i >= cps.length || cps[i] == ' ' || cps[i] == '\t' || isBreak(cps[i]) || cps[i] == 0;
  }

  /** A double-quoted escape, as go-yaml writes it (upper-case hex). */
  static String escape(int c) {
    return switch (c) {
      case 0x00 -> "\\0";
      case 0x07 -> "\\a";
      case 0x08 -> "\\b";
      case 0x09 -> "\\t";
      case 0x0A -> "\\n";
      case 0x0B -> "\\v";
      case 0x0C -> "\\f";
      case 0x0D -> "\\r";
      case 0x1B -> "\\e";
      case 0x22 -> "\\\"";
      case 0x5C -> "\\\\";
      case 0x85 -> "\\N";
      case 0xA0 -> "\\_";
      case 0x2028 -> "\\L";
      case 0x2029 -> "\\P";
      default ->
          c <= 0xFF
              ? String.format("\\x%02X", c)
              : c <= 0xFFFF ? String.format("\\u%04X", c) : String.format("\\U%08X", c);
    };
  }

  /**
   * The chomping indicator of a literal block: {@code -} without a final break, {@code +} with
   * several.
   */
  static String chomp(int[] cps) {
    if (cps.length == 0 || !isBreak(cps[cps.length - 1])) {
      return "-";
    }
    if (cps.length == 1 || isBreak(cps[cps.length - 2])) {
      return "+";
    }
    return "";
  }

  /** A number as {@code JSONToYAML} writes it. */
  static String number(JsonNode node) {
    return GoNumbers.yaml(node);
  }

  private static boolean less(String a, String b) {
    int[] ar = a.codePoints().toArray();
    int[] br = b.codePoints().toArray();
    for (int i = 0; i < ar.length && i < br.length; i++) {
      if (ar[i] == br[i]) {
        continue;
      }
      boolean al = Character.isLetter(ar[i]);
      boolean bl = Character.isLetter(br[i]);
      if (al && bl) {
        return ar[i] < br[i];
      }
      if (al || bl) {
        return bl;
      }
      long an = 0;
      long bn = 0;
      if (ar[i] == '0' || br[i] == '0') {
        for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
          if (ar[j] != '0') {
            an = 1;
            bn = 1;
            break;
          }
        }
      }
      int ai = i;
      for (; ai < ar.length && Character.isDigit(ar[ai]); ai++) {
        an = an * 10 + (ar[ai] - '0');
      }
      int bi = i;
      for (; bi < br.length && Character.isDigit(br[bi]); bi++) {
        bn = bn * 10 + (br[bi] - '0');
      }
      if (an != bn) {
        return an < bn;
      }
      if (ai != bi) {
        return ai < bi;
      }
      return ar[i] < br[i];
    }
    return ar.length < br.length;
  }

  /** go-yaml's {@code yaml_emitter_analyze_scalar}: which styles can carry the string. */
  private record Analysis(
      boolean multiline,
      boolean blockPlainAllowed,
      boolean singleQuotedAllowed,
      boolean blockAllowed) {

    static Analysis of(String s) {
      if (s.isEmpty()) {
        return new Analysis(false, true, true, false);
      }
      int[] v = s.codePoints().toArray();
      // Only block context occurs in JSON-derived documents, so go-yaml's flow_indicators is not
      // tracked.
      boolean blockInd = s.startsWith("---") || s.startsWith("...");
      boolean lineBreaks = false;
      boolean special = false;
      boolean leadingSpace = false;
      boolean leadingBreak = false;
      boolean trailingSpace = false;
      boolean trailingBreak = false;
      boolean breakSpace = false;
      boolean spaceBreak = false;
      boolean previousSpace = false;
      boolean previousBreak = false;
      boolean precededByWhitespace = true;
      for (int i = 0; i < v.length; i++) {
        int c = v[i];
        boolean followedByWhitespace = isBlankz(v, i + 1);
        if (i == 0) {
          if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) {
            blockInd = true;
          } else if (c == '?' || c == ':') {
            blockInd |= followedByWhitespace;
          } else if (c == '-' && followedByWhitespace) {
            blockInd = true;
          }
        } else if (c == ':') {
          blockInd |= followedByWhitespace;
        } else if (c == '#' && precededByWhitespace) {
          blockInd = true;
        }
        if (!isPrintable(c)) {
          special = true;
        }
        if (isBreak(c)) {
          lineBreaks = true;
        }
        if (c == ' ') {
          leadingSpace |= i == 0;
          trailingSpace |= i == v.length - 1;
          breakSpace |= previousBreak;
          previousSpace = true;
          previousBreak = false;
        } else if (isBreak(c)) {
          leadingBreak |= i == 0;
          trailingBreak |= i == v.length - 1;
          spaceBreak |= previousSpace;
          previousBreak = true;
          previousSpace = false;
        } else {
          previousSpace = false;
          previousBreak = false;
        }
        precededByWhitespace = isBlankz(v, i);
      }
      boolean blockPlain =
          !(leadingSpace
              || leadingBreak
              || trailingSpace
              || trailingBreak
              || breakSpace
              || spaceBreak
              || special
              || lineBreaks
              || blockInd);
      boolean single = !(breakSpace || spaceBreak || special);
      boolean block = !(trailingSpace || spaceBreak || special);
      return new Analysis(lineBreaks, blockPlain, single, block);
    }
  }
}
