package io.kubehop.apiserver.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.api.meta.StatusException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectorTest {

  private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "front");

  @Test
  void labelEquality() {
    assertTrue(LabelSelector.parse("app=web").matches(LABELS));
    assertTrue(LabelSelector.parse("app==web,tier=front").matches(LABELS));
    assertFalse(LabelSelector.parse("app=db").matches(LABELS));
    assertTrue(LabelSelector.parse("app!=db").matches(LABELS));
    assertTrue(LabelSelector.parse("missing!=x").matches(LABELS));
  }

  @Test
  void labelSetsAndExistence() {
    assertTrue(LabelSelector.parse("app in (db, web)").matches(LABELS));
    assertFalse(LabelSelector.parse("app notin (db,web)").matches(LABELS));
    assertTrue(LabelSelector.parse("tier,!missing").matches(LABELS));
    assertFalse(LabelSelector.parse("!app").matches(LABELS));
    assertTrue(LabelSelector.parse("").matches(LABELS));
  }

  @Test
  void labelSyntaxErrorIsBadRequest() {
    StatusException e = assertThrows(StatusException.class, () -> LabelSelector.parse("a b c"));
    assertEquals(400, e.code());
  }

  @Test
  void fieldSelectors() {
    Set<String> known = Set.of("metadata.name", "spec.nodeName", "status.phase");
    Map<String, String> fields =
        Map.of("metadata.name", "demo", "spec.nodeName", "", "status.phase", "Pending");
    assertTrue(FieldSelector.parse("spec.nodeName=", known).matches(fields));
    assertTrue(
        FieldSelector.parse("metadata.name==demo,status.phase!=Running", known).matches(fields));
    assertFalse(FieldSelector.parse("spec.nodeName=node-1", known).matches(fields));
    StatusException e =
        assertThrows(StatusException.class, () -> FieldSelector.parse("spec.foo=1", known));
    assertEquals("field label not supported: spec.foo", e.getMessage());
  }
}
