package io.kubehop.streaming.remotecommand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Protocols, options, status JSON and the client-side error decoder. */
class RemoteCommandTest {

  @Test
  void protocolCapabilities() {
    assertEquals(StreamProtocol.V1, StreamProtocol.fromWireName("").orElseThrow());
    assertEquals(StreamProtocol.V4, StreamProtocol.fromWireName("v4.channel.k8s.io").orElseThrow());
    assertTrue(StreamProtocol.fromWireName("v9.channel.k8s.io").isEmpty());
    assertEquals(
        List.of(false, false, true, true, true),
        Stream.of(StreamProtocol.values()).map(StreamProtocol::supportsResize).toList());
    assertEquals(
        List.of(false, false, false, true, true),
        Stream.of(StreamProtocol.values()).map(StreamProtocol::jsonStatus).toList());
    assertEquals(
        List.of(false, false, false, false, true),
        Stream.of(StreamProtocol.values()).map(StreamProtocol::closeSignal).toList());
  }

  static Stream<Arguments> kubeletQueries() {
    return Stream.of(
        Arguments.of(
            Named.of("output+error", "output=1&error=1"),
            new StreamOptions(false, true, true, false)),
        Arguments.of(
            Named.of("only exactly 1 counts", "input=true&output=1"),
            new StreamOptions(false, true, false, false)),
        Arguments.of(
            Named.of("tty drops stderr", "tty=1&error=1&input=1"),
            new StreamOptions(true, false, false, true)));
  }

  @ParameterizedTest
  @MethodSource("kubeletQueries")
  void kubeletOptions(String query, StreamOptions expected) {
    assertEquals(expected, StreamOptions.fromKubeletQuery(params(query)));
  }

  @Test
  void kubeletOptionsNeedAStream() {
    assertEquals(
        "you must specify at least 1 of stdin, stdout, stderr",
        assertThrows(
                IllegalArgumentException.class,
                () -> StreamOptions.fromKubeletQuery(params("tty=1&error=1")))
            .getMessage());
  }

  @Test
  void apiServerOptionsUseApimachineryBoolConversion() {
    assertEquals(
        new StreamOptions(true, true, false, false),
        StreamOptions.fromApiServerQuery(params("stdin=true&stdout=yes&stderr=FALSE&tty=0")));
    assertEquals(
        new StreamOptions(true, false, false, false),
        StreamOptions.fromApiServerQuery(params("stdin=")));
    assertEquals(
        "error=1&input=1&output=1&tty=1",
        new StreamOptions(true, true, true, true).toKubeletQuery());
    assertEquals(3, new StreamOptions(false, true, true, false).expectedStreams(StreamProtocol.V4));
    assertEquals(4, new StreamOptions(true, true, true, true).expectedStreams(StreamProtocol.V3));
    assertEquals(3, new StreamOptions(true, true, true, true).expectedStreams(StreamProtocol.V2));
  }

  @Test
  void statusJsonExactlyAsTheKubeletWritesIt() {
    assertEquals(
        "{\"metadata\":{},\"status\":\"Success\"}",
        StatusWriter.encode(StreamProtocol.V4, null, StatusWriter.EXEC_ERROR_PREFIX).toString());
    assertEquals(
        "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: "
            + "error executing command [sh -c exit 3], exit code 3\",\"reason\":\"NonZeroExitCode\",\"details\":"
            + "{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}",
        StatusWriter.encode(
                StreamProtocol.V5,
                ExitCodeException.forCommand(List.of("sh", "-c", "exit 3"), 3),
                StatusWriter.EXEC_ERROR_PREFIX)
            .toString());
    assertEquals(
        "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal error occurred: error executing "
            + "command in container: no such file\",\"reason\":\"InternalError\",\"details\":{\"causes\":[{\"message\":"
            + "\"error executing command in container: no such file\"}]},\"code\":500}",
        StatusWriter.encode(
                StreamProtocol.V4,
                new RuntimeException("no such file"),
                StatusWriter.EXEC_ERROR_PREFIX)
            .toString());
  }

  @Test
  void plainTextStatusBeforeV4() {
    assertEquals(
        "",
        StatusWriter.encode(StreamProtocol.V3, null, StatusWriter.EXEC_ERROR_PREFIX).toString());
    assertEquals(
        "command terminated with non-zero exit code: exit status 2",
        StatusWriter.encode(
                StreamProtocol.V2, new ExitCodeException(2), StatusWriter.EXEC_ERROR_PREFIX)
            .toString());
    assertEquals(
        "Internal error occurred: error attaching to container: gone",
        StatusWriter.encode(
                StreamProtocol.V1, new RuntimeException("gone"), StatusWriter.ATTACH_ERROR_PREFIX)
            .toString());
  }

  static Stream<Arguments> errorStreams() {
    return Stream.of(
        Arguments.of(Named.of("v4 empty", StreamProtocol.V4), "", null),
        Arguments.of(
            Named.of("v4 success", StreamProtocol.V4),
            "{\"metadata\":{},\"status\":\"Success\"}",
            null),
        Arguments.of(
            Named.of("v4 exit 3", StreamProtocol.V4),
            "{\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + "\"x\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":"
                + "\"3\"}]}}",
            "ExitCodeException 3 command terminated with exit code 3"),
        Arguments.of(
            Named.of("v5 no details", StreamProtocol.V5),
            "{\"status\":\"Failure\",\"reason\":" + "\"NonZeroExitCode\"}",
            "error stream protocol error: details must be set"),
        Arguments.of(
            Named.of("v4 bad code", StreamProtocol.V4),
            "{\"status\":\"Failure\",\"reason\":"
                + "\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"256\"}]}}",
            "error stream protocol error: invalid exit code value \"256\""),
        Arguments.of(
            Named.of("v4 other failure", StreamProtocol.V4),
            "{\"status\":\"Failure\",\"message\":"
                + "\"Internal error occurred: boom\",\"reason\":\"InternalError\",\"code\":500}",
            "Internal error occurred: boom"),
        Arguments.of(
            Named.of("v4 unknown status", StreamProtocol.V4),
            "{\"status\":\"Weird\"}",
            "error stream protocol error: unknown error"),
        Arguments.of(
            Named.of("v2 text", StreamProtocol.V2), "boom", "error executing remote command: boom"),
        Arguments.of(
            Named.of("v1 text", StreamProtocol.V1),
            "boom",
            "Error executing remote command: boom"));
  }

  @ParameterizedTest
  @MethodSource("errorStreams")
  void errorStreamDecoding(StreamProtocol protocol, String content, String expected) {
    Exception e = ErrorStreamDecoder.decode(protocol, Buffer.buffer(content));
    if (expected == null) {
      assertNull(e);
    } else if (e instanceof ExitCodeException exit) {
      assertEquals(expected, "ExitCodeException " + exit.code() + " " + exit.getMessage());
    } else {
      assertEquals(expected, e.getMessage());
    }
  }

  @Test
  void terminalSizesSplitAnywhere() throws Exception {
    String wire = "{\"Width\":80,\"Height\":24}\n{\"Width\":132,\"Height\":43}\n";
    for (int split = 0; split <= wire.length(); split++) {
      List<TerminalSize> sizes = new ArrayList<>();
      TerminalSizeDecoder d = new TerminalSizeDecoder(sizes::add);
      d.decode(Buffer.buffer(wire.substring(0, split)));
      d.decode(Buffer.buffer(wire.substring(split)));
      assertEquals(
          List.of(new TerminalSize(80, 24), new TerminalSize(132, 43)), sizes, "split " + split);
    }
    assertThrows(
        IOException.class, () -> new TerminalSizeDecoder(s -> {}).decode(Buffer.buffer("x")));
  }

  private static MultiMap params(String query) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (String kv : query.split("&")) {
      int eq = kv.indexOf('=');
      m.add(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return m;
  }
}
