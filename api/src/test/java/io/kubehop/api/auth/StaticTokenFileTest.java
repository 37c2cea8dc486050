package io.kubehop.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StaticTokenFileTest {

  @Test
  void whatIsWrittenReadsBackTheSame() {
    List<StaticTokenFile.Entry> entries =
        List.of(
            new StaticTokenFile.Entry(
                "t1", "kubehop-admin", "kubehop-admin", List.of("system:masters")),
            new StaticTokenFile.Entry("t2", "bob", "", List.of("a", "b")));
    String text = StaticTokenFile.format(entries);
    assertEquals("t1,kubehop-admin,kubehop-admin,\"system:masters\"\nt2,bob,,\"a,b\"\n", text);
    assertEquals(entries, StaticTokenFile.parse(text.lines().toList(), "tokens.csv"));
  }

  @Test
  void aDuplicateTokenIsAnErrorNamingTheLineNotTheToken() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                StaticTokenFile.parse(
                    List.of("# two users, one token", "secret,a,1", "", "secret,b,2"),
                    "tokens.csv"));
    assertEquals("tokens.csv:4: duplicate token", e.getMessage());
    assertFalse(
        new StaticTokenFile.Entry("secret", "a", "1", List.of()).toString().contains("secret"));
  }
}
