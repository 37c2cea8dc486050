package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * core/v1 Probe with its handlers (exec, tcpSocket, httpGet; grpc is not supported). The timing
 * fields are nullable as on the wire; the {@code effective…} accessors apply upstream's defaults
 * ({@code pkg/apis/core/v1/defaults.go} SetDefaults_Probe) for a probe the apiserver did not
 * default.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Probe(
    ExecAction exec,
    TcpSocketAction tcpSocket,
    HttpGetAction httpGet,
    Integer initialDelaySeconds,
    Integer timeoutSeconds,
    Integer periodSeconds,
    Integer successThreshold,
    Integer failureThreshold,
    Long terminationGracePeriodSeconds) {

  public int effectiveInitialDelaySeconds() {
    return initialDelaySeconds == null ? 0 : initialDelaySeconds;
  }

  public int effectiveTimeoutSeconds() {
    return timeoutSeconds == null || timeoutSeconds <= 0 ? 1 : timeoutSeconds;
  }

  public int effectivePeriodSeconds() {
    return periodSeconds == null || periodSeconds <= 0 ? 10 : periodSeconds;
  }

  public int effectiveSuccessThreshold() {
    return successThreshold == null || successThreshold <= 0 ? 1 : successThreshold;
  }

  public int effectiveFailureThreshold() {
    return failureThreshold == null || failureThreshold <= 0 ? 3 : failureThreshold;
  }

  /** core/v1 ExecAction. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ExecAction(List<String> command) {
    public List<String> command() {
      return command == null ? List.of() : command;
    }
  }

  /**
   * core/v1 TCPSocketAction.
   *
   * @param port an IntOrString: a number or a named container port
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TcpSocketAction(JsonNode port, String host) {}

  /**
   * core/v1 HTTPGetAction.
   *
   * @param port an IntOrString: a number or a named container port
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HttpGetAction(
      String path, JsonNode port, String host, String scheme, List<HttpHeader> httpHeaders) {
    public List<HttpHeader> httpHeaders() {
      return httpHeaders == null ? List.of() : httpHeaders;
    }
  }

  /** core/v1 HTTPHeader. */
  public record HttpHeader(String name, String value) {}
}
