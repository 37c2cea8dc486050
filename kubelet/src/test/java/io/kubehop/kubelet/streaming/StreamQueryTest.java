package io.kubehop.kubelet.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubehop.streaming.remotecommand.StreamOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Query parsing of the kubelet's exec/attach endpoints: both styles, tty, upstream's refusal, path
 * forms.
 */
class StreamQueryTest {

  private static Map<String, List<String>> query(String... pairs) {
    StringBuilder uri = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      uri.append(i == 0 ? "" : "&")
          .append(pairs[i])
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return StreamQuery.decode(uri.toString());
  }

  @Test
  void kubeletFlagsCountOnlyWhenExactlyOne() {
    assertEquals(
        new StreamOptions(true, true, true, false),
        StreamQuery.parse(query("input", "1", "output", "1", "error", "1")));
    assertEquals(
        new StreamOptions(false, true, false, false),
        StreamQuery.parse(query("input", "true", "output", "1", "error", "yes")));
  }

  @Test
  void apiserverFlagsCountWhenParseBoolSaysTrue() {
    for (String yes : List.of("1", "t", "T", "true", "True", "TRUE")) {
      assertEquals(
          new StreamOptions(true, false, false, false),
          StreamQuery.parse(query("stdin", yes)),
          yes);
    }
    for (String no : List.of("0", "f", "false", "yes", "", "tRuE")) {
      assertEquals(
          new StreamOptions(false, true, false, false),
          StreamQuery.parse(query("stdin", no, "stdout", "1")),
          no);
    }
  }

  @Test
  void undecodablePairsAreSkippedAsGoSkipsThem() {
    assertEquals(
        Map.of("output", List.of("1"), "command", List.of("a b", "c+d"), "", List.of("empty")),
        StreamQuery.decode("command=a+b&bad=%zz&output=1&x=1;y=2&&command=c%2Bd&=empty"));
    assertEquals(Map.of(), StreamQuery.decode(null));
    assertEquals(Map.of("flag", List.of("")), StreamQuery.decode("flag"));
  }

  @Test
  void aRepeatedFlagCountsByItsFirstValue() {
    assertEquals(
        new StreamOptions(false, true, false, false),
        StreamQuery.parse(query("output", "1", "output", "0", "error", "0", "error", "1")));
  }

  @Test
  void ttyDropsStderrSilently() {
    assertEquals(
        new StreamOptions(false, true, false, true),
        StreamQuery.parse(query("output", "1", "error", "1", "tty", "1")));
    assertEquals(
        new StreamOptions(false, true, false, true),
        StreamQuery.parse(query("stdout", "true", "stderr", "true", "tty", "true")));
  }

  @Test
  void noStreamIsRefusedWithUpstreamsText() {
    for (Map<String, List<String>> q :
        List.of(
            query(),
            query("tty", "1", "error", "1"),
            query("output", "true"),
            query("OUTPUT", "1", "Stdout", "true"))) {
      assertEquals(
          "you must specify at least 1 of stdin, stdout, stderr",
          assertThrows(IllegalArgumentException.class, () -> StreamQuery.parse(q)).getMessage());
    }
  }

  @Test
  void pathFormsAndCommand() {
    Map<String, List<String>> q =
        query("command", "sh", "command", "-c", "command", "echo a+b & c");
    assertEquals(
        Optional.of(
            new ExecRequestParams("ns", "p", null, "c", List.of("sh", "-c", "echo a+b & c"))),
        ExecRequestParams.from(List.of("ns", "p", "c"), q));
    assertEquals(
        Optional.of(new ExecRequestParams("ns", "p", "uid-1", "c", List.of())),
        ExecRequestParams.from(List.of("ns", "p", "uid-1", "c"), query()));
    assertEquals(Optional.empty(), ExecRequestParams.from(List.of("ns", "p"), q));
    assertEquals(Optional.empty(), ExecRequestParams.from(List.of("ns", "p", "u", "c", "x"), q));
    assertEquals(
        "p_ns", ExecRequestParams.from(List.of("ns", "p", "c"), q).orElseThrow().podFullName());
  }
}
