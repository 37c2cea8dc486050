package io.kubehop.streaming.remotecommand;

import io.vertx.core.MultiMap;

/**
 * Which streams an exec/attach asks for. Query names differ by tier: the apiserver takes {@code
 * stdin}, {@code stdout}, {@code stderr}, {@code tty} ({@code PodExecOptions}); the kubelet and
 * runtime take {@code input}, {@code output}, {@code error}, {@code tty} ({@code ExecStdinParam}…).
 */
public record StreamOptions(boolean stdin, boolean stdout, boolean stderr, boolean tty) {

  /** Upstream's text when no stream is requested (kubelet 400, plain text). */
  public static final String AT_LEAST_ONE = "you must specify at least 1 of stdin, stdout, stderr";

  /**
   * Kubelet-style query ({@code NewOptions} in kubelet's remotecommand/httpstream.go): a flag is on
   * only when exactly {@code "1"}; tty with error silently drops stderr (the tty merges it into
   * stdout).
   *
   * @throws IllegalArgumentException with {@link #AT_LEAST_ONE} when no stream is requested
   */
  public static StreamOptions fromKubeletQuery(MultiMap params) {
    boolean tty = "1".equals(params.get("tty"));
    boolean stdin = "1".equals(params.get("input"));
    boolean stdout = "1".equals(params.get("output"));
    boolean stderr = "1".equals(params.get("error")) && !tty;
    return new StreamOptions(stdin, stdout, stderr, tty).validated();
  }

  /**
   * Apiserver-style query ({@code PodExecOptions} decoded by the apiserver's parameter codec).
   * Upstream does not use {@code strconv.ParseBool} here but apimachinery's {@code
   * Convert_Slice_string_To_bool}: absent, {@code "0"} or {@code "false"} (any case) is false, any
   * other value, even empty, is true; so no value is ever rejected. Nothing is validated either:
   * the apiserver forwards and the kubelet answers 400 (see {@link #validated()}).
   */
  public static StreamOptions fromApiServerQuery(MultiMap params) {
    return new StreamOptions(
        flag(params, "stdin"), flag(params, "stdout"), flag(params, "stderr"), flag(params, "tty"));
  }

  /**
   * The kubelet query for these options: {@code error=1&input=1&output=1&tty=1}, only the true
   * ones, sorted.
   */
  public String toKubeletQuery() {
    StringBuilder b = new StringBuilder();
    append(b, stderr, "error");
    append(b, stdin, "input");
    append(b, stdout, "output");
    append(b, tty, "tty");
    return b.toString();
  }

  /**
   * These options, or {@link IllegalArgumentException} with {@link #AT_LEAST_ONE} if none of stdin,
   * stdout, stderr is set.
   */
  public StreamOptions validated() {
    if (!stdin && !stdout && !stderr) {
      throw new IllegalArgumentException(AT_LEAST_ONE);
    }
    return this;
  }

  /**
   * The streams the client will create for {@code protocol}: error + requested + resize (tty, V3+).
   */
  public int expectedStreams(StreamProtocol protocol) {
    int n = 1;
    n += stdin ? 1 : 0;
    n += stdout ? 1 : 0;
    n += stderr && !tty ? 1 : 0;
    n += tty && protocol.supportsResize() ? 1 : 0;
    return n;
  }

  private static boolean flag(MultiMap params, String name) {
    String v = params.get(name);
    return v != null && !v.equals("0") && !v.equalsIgnoreCase("false");
  }

  private static void append(StringBuilder b, boolean on, String name) {
    if (on) {
      b.append(b.length() == 0 ? "" : "&").append(name).append("=1");
    }
  }
}
