package io.kubehop.apiserver.subresource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubehop.api.meta.StatusException;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class StreamSubresourceTest {

  private static MultiMap query(String... pairs) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      map.add(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void kubectlExecQueryBecomesTheKubeletQuery() {
    // kubectl exec -i demo -- sh -c 'echo a b'
    assertEquals(
        "?command=sh&command=-c&command=echo%20a%20b&error=1&input=1&output=1",
        StreamSubresource.kubeletQuery(
            query(
                "command",
                "sh",
                "command",
                "-c",
                "command",
                "echo a b",
                "container",
                "main",
                "stderr",
                "true",
                "stdin",
                "true",
                "stdout",
                "true"),
            StreamSubresource.Verb.EXEC));
  }

  @Test
  void pythonStyleBooleansAndTty() {
    // The python client sends capitalised booleans and false flags too.
    assertEquals(
        "?command=sh&input=1&output=1&tty=1",
        StreamSubresource.kubeletQuery(
            query(
                "command", "sh", "stderr", "False", "stdin", "True", "stdout", "True", "tty",
                "True"),
            StreamSubresource.Verb.EXEC));
  }

  @Test
  void attachCarriesNoCommand() {
    assertEquals(
        "?input=1&output=1&tty=1",
        StreamSubresource.kubeletQuery(
            query("command", "ignored", "stdin", "true", "stdout", "true", "tty", "true"),
            StreamSubresource.Verb.ATTACH));
  }

  @Test
  void noStreamIsABadRequest() {
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                StreamSubresource.kubeletQuery(
                    query("command", "true"), StreamSubresource.Verb.EXEC));
    assertEquals(400, e.code());
    assertEquals("you must specify at least 1 of stdin, stdout, stderr", e.getMessage());
  }
}
