package io.kubehop.apiserver.selection;

import io.kubehop.api.meta.StatusException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A label selector in the string syntax of {@code k8s.io/apimachinery/pkg/labels.Parse}:
 * requirements joined by commas, each {@code k}, {@code !k}, {@code k=v}, {@code k==v}, {@code
 * k!=v}, {@code k in (a,b)} or {@code k notin (a,b)}. An empty selector matches everything.
 */
public final class LabelSelector {

  /** One requirement. */
  record Requirement(String key, Op op, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (op) {
        case EXISTS -> labels.containsKey(key);
        case NOT_EXISTS -> !labels.containsKey(key);
        case EQUALS, IN -> v != null && values.contains(v);
        case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
      };
    }
  }

  enum Op {
    EXISTS,
    NOT_EXISTS,
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN
  }

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  /** Parses; a syntax error is a 400 BadRequest. */
  public static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> reqs = new ArrayList<>();
    for (String part : splitTopLevel(text)) {
      reqs.add(parseRequirement(part.trim(), text));
    }
    return new LabelSelector(reqs);
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  /** Splits on commas outside parentheses. */
  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static Requirement parseRequirement(String s, String whole) {
    if (s.isEmpty()) {
      throw bad(whole, "found '', expected: identifier");
    }
    if (s.startsWith("!")) {
      return new Requirement(key(s.substring(1).trim(), whole), Op.NOT_EXISTS, Set.of());
    }
    String[] words = s.split("\\s+", 2);
    if (words.length == 2
        && (words[1].startsWith("in ")
            || words[1].startsWith("in(")
            || words[1].startsWith("notin ")
            || words[1].startsWith("notin("))) {
      boolean in = words[1].startsWith("in");
      String rest = words[1].substring(in ? 2 : 5).trim();
      if (!rest.startsWith("(") || !rest.endsWith(")")) {
        throw bad(whole, "found '" + rest + "', expected: '('");
      }
      Set<String> values = new LinkedHashSet<>();
      for (String v : rest.substring(1, rest.length() - 1).split(",")) {
        values.add(v.trim());
      }
      return new Requirement(key(words[0], whole), in ? Op.IN : Op.NOT_IN, values);
    }
    int ne = s.indexOf("!=");
    if (ne >= 0) {
      return new Requirement(
          key(s.substring(0, ne).trim(), whole), Op.NOT_EQUALS, Set.of(s.substring(ne + 2).trim()));
    }
    int eq = s.indexOf('=');
    if (eq >= 0) {
      String value = s.startsWith("==", eq) ? s.substring(eq + 2) : s.substring(eq + 1);
      return new Requirement(
          key(s.substring(0, eq).trim(), whole), Op.EQUALS, Set.of(value.trim()));
    }
    return new Requirement(key(s, whole), Op.EXISTS, Set.of());
  }

  private static String key(String key, String whole) {
    if (key.isEmpty()
        || !key.matches("([A-Za-z0-9.-]+/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
      throw bad(whole, "invalid label key \"" + key + "\"");
    }
    return key;
  }

  private static StatusException bad(String whole, String why) {
    return StatusException.badRequest("unable to parse requirement: " + why);
  }
}
