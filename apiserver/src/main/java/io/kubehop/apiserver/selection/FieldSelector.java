package io.kubehop.apiserver.selection;

import io.kubehop.api.meta.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A field selector as {@code k8s.io/apimachinery/pkg/fields.ParseSelector} reads it: {@code f=v},
 * {@code f==v}, {@code f!=v} joined by commas. Each resource supports only some fields; others are
 * a 400, as upstream.
 */
public final class FieldSelector {

  record Term(String field, String value, boolean negated) {}

  private final List<Term> terms;

  private FieldSelector(List<Term> terms) {
    this.terms = terms;
  }

  public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  /** Parses and checks every field against {@code supported}. */
  public static FieldSelector parse(String text, Set<String> supported) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Term> terms = new ArrayList<>();
    for (String part : text.split(",")) {
      Term t = term(part.trim());
      if (!supported.contains(t.field)) {
        throw StatusException.badRequest("field label not supported: " + t.field);
      }
      terms.add(t);
    }
    return new FieldSelector(terms);
  }

  private static Term term(String s) {
    int ne = s.indexOf("!=");
    if (ne >= 0) {
      return new Term(s.substring(0, ne), s.substring(ne + 2), true);
    }
    int eq = s.indexOf('=');
    if (eq < 0) {
      throw StatusException.badRequest(
          "invalid selector: '" + s + "'; can't understand '" + s + "'");
    }
    String value = s.startsWith("==", eq) ? s.substring(eq + 2) : s.substring(eq + 1);
    return new Term(s.substring(0, eq), value, false);
  }

  /** {@code fields} maps every supported field to its value ("" when unset). */
  public boolean matches(Map<String, String> fields) {
    for (Term t : terms) {
      boolean eq = t.value.equals(fields.getOrDefault(t.field, ""));
      if (eq == t.negated) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return terms.isEmpty();
  }
}
