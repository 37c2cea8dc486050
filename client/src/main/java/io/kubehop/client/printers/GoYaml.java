package io.kubehop.client.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a JSON tree as YAML byte-for-byte like kubectl's {@code -o yaml}, which is {@code
 * sigs.k8s.io/yaml} {@code JSONToYAML}: go-yaml v2 with keys in its "natural" sort order ({@link
 * GoYamlStyle#KEY_ORDER}), sequences not indented under their key, {@code {}}/{@code []} for empty
 * collections, strings quoted only when they would read back as another type, literal blocks for
 * multi-line strings, and long scalars folded at column 80.
 *
 * <p>Only the block style that JSON input produces is implemented. Not thread safe; use {@link
 * #write}.
 */
public final class GoYaml {

  private static final int BEST_WIDTH = 80;

  private final StringBuilder out = new StringBuilder();
  private int column;
  private boolean whitespace = true;
  private boolean indention = true;

  private GoYaml() {}

  /** One YAML document (no {@code ---} marker), ending with a newline. */
  public static String write(JsonNode node) {
    GoYaml yaml = new GoYaml();
    yaml.node(node, 0, true);
    if (yaml.column > 0) {
      yaml.newline();
    }
    return yaml.out.toString();
  }

  private void node(JsonNode node, int indent, boolean mappingValue) {
    if (node.isObject() && !node.isEmpty()) {
      mapping(node, indent);
    } else if (node.isArray() && !node.isEmpty()) {
      sequence(node, indent);
    } else if (node.isObject() || node.isArray()) {
      indicator(node.isObject() ? "{}" : "[]", true);
    } else {
      scalar(node, indent + 2, false);
    }
  }

  private void mapping(JsonNode node, int indent) {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      fields.add(it.next());
    }
    fields.sort(Map.Entry.comparingByKey(GoYamlStyle.KEY_ORDER));
    for (Map.Entry<String, JsonNode> field : fields) {
      writeIndent(indent);
      string(field.getKey(), indent + 2, true);
      indicator(":", false);
      JsonNode value = field.getValue();
      if (value.isObject() && !value.isEmpty()) {
        mapping(value, indent + 2);
      } else if (value.isArray() && !value.isEmpty()) {
        sequence(value, indent); // go-yaml writes a mapping's sequence "indentless"
      } else {
        node(value, indent, true);
      }
    }
  }

  private void sequence(JsonNode node, int indent) {
    for (JsonNode item : node) {
      writeIndent(indent);
      indicator("-", true);
      if (item.isObject() && !item.isEmpty()) {
        mapping(item, indent + 2);
      } else if (item.isArray() && !item.isEmpty()) {
        sequence(item, indent + 2);
      } else {
        node(item, indent, false);
      }
    }
  }

  private void scalar(JsonNode node, int indent, boolean simpleKey) {
    if (node.isTextual()) {
      string(node.asText(), indent, simpleKey);
    } else if (node.isNumber()) {
      plain(GoYamlStyle.number(node), indent, false);
    } else if (node.isBoolean()) {
      plain(node.asBoolean() ? "true" : "false", indent, false);
    } else {
      plain("null", indent, false);
    }
  }

  private void string(String raw, int indent, boolean simpleKey) {
    String s = foldRawLineBreaks(raw);
    switch (GoYamlStyle.select(s, simpleKey)) {
      case PLAIN -> plain(s, indent, !simpleKey);
      case SINGLE_QUOTED -> singleQuoted(s, indent, !simpleKey);
      case DOUBLE_QUOTED -> doubleQuoted(s, indent, !simpleKey);
      case LITERAL -> literal(s, indent);
    }
  }

  /**
   * JSONToYAML reads Go's JSON text back as YAML, and Go's JSON leaves U+0085 (NEL) unescaped:
   * inside a quoted scalar YAML folds that line break, so one NEL becomes a space and n NELs n-1
   * newlines.
   */
  private static String foldRawLineBreaks(String s) {
    if (s.indexOf('\u0085') < 0) {
      return s;
    }
    Matcher m = Pattern.compile("[ \t]*((?:\u0085[ \t]*)+)").matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      long breaks = m.group(1).chars().filter(c -> c == 0x85).count();
      m.appendReplacement(out, breaks == 1 ? " " : "\n".repeat((int) breaks - 1));
    }
    m.appendTail(out);
    return out.toString();
  }

  private void plain(String value, int indent, boolean allowBreaks) {
    if (!whitespace) {
      put(' ');
    }
    boolean spaces = false;
    int[] cps = value.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      if (cps[i] == ' ') {
        if (allowBreaks
            && !spaces
            && column > BEST_WIDTH
            && !(i + 1 < cps.length && cps[i + 1] == ' ')) {
          writeIndent(indent);
        } else {
          put(cps[i]);
        }
        spaces = true;
      } else {
        put(cps[i]);
        indention = false;
        spaces = false;
      }
    }
    whitespace = false;
    indention = false;
  }

  private void singleQuoted(String value, int indent, boolean allowBreaks) {
    indicator("'", true);
    boolean spaces = false;
    int[] cps = value.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      if (cps[i] == ' ') {
        if (allowBreaks
            && !spaces
            && column > BEST_WIDTH
            && i > 0
            && i < cps.length - 1
            && cps[i + 1] != ' ') {
          writeIndent(indent);
        } else {
          put(cps[i]);
        }
        spaces = true;
      } else {
        if (cps[i] == '\'') {
          put('\'');
        }
        put(cps[i]);
        indention = false;
        spaces = false;
      }
    }
    indicator("'", false);
    whitespace = false;
    indention = false;
  }

  private void doubleQuoted(String value, int indent, boolean allowBreaks) {
    indicator("\"", true);
    boolean spaces = false;
    int[] cps = value.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      if (!GoYamlStyle.isPrintable(c)
          || c == 0xFEFF
          || GoYamlStyle.isBreak(c)
          || c == '"'
          || c == '\\') {
        for (char e : GoYamlStyle.escape(c).toCharArray()) {
          put(e);
        }
        spaces = false;
      } else if (c == ' ') {
        if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < cps.length - 1) {
          writeIndent(indent);
          if (cps[i + 1] == ' ') {
            put('\\');
          }
        } else {
          put(c);
        }
        spaces = true;
      } else {
        put(c);
        spaces = false;
      }
    }
    indicator("\"", false);
    whitespace = false;
    indention = false;
  }

  private void literal(String value, int indent) {
    indicator("|", true);
    int[] cps = value.codePoints().toArray();
    if (cps.length > 0 && (cps[0] == ' ' || GoYamlStyle.isBreak(cps[0]))) {
      indicator("2", false);
    }
    String chomp = GoYamlStyle.chomp(cps);
    if (!chomp.isEmpty()) {
      indicator(chomp, false);
    }
    newline();
    indention = true;
    whitespace = true;
    boolean breaks = true;
    for (int c : cps) {
      if (GoYamlStyle.isBreak(c)) {
        if (c == '\n') {
          newline();
        } else {
          out.appendCodePoint(c);
          column = 0;
        }
        indention = true;
        breaks = true;
      } else {
        if (breaks) {
          writeIndent(indent);
        }
        put(c);
        indention = false;
        breaks = false;
      }
    }
  }

  /** go-yaml's {@code yaml_emitter_write_indicator}. */
  private void indicator(String text, boolean needWhitespace) {
    if (needWhitespace && !whitespace) {
      put(' ');
    }
    for (char c : text.toCharArray()) {
      put(c);
    }
    whitespace = false;
    indention = indention && text.equals("-");
  }

  /** go-yaml's {@code yaml_emitter_write_indent}. */
  private void writeIndent(int indent) {
    if (!indention || column > indent || (column == indent && !whitespace)) {
      newline();
    }
    while (column < indent) {
      put(' ');
    }
    whitespace = true;
    indention = true;
  }

  private void newline() {
    out.append('\n');
    column = 0;
  }

  private void put(int codePoint) {
    out.appendCodePoint(codePoint);
    column++;
  }
}
