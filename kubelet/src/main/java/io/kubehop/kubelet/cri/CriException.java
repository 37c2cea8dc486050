package io.kubehop.kubelet.cri;

import io.vertx.grpc.common.GrpcStatus;
import java.util.Locale;

/**
 * A failed CRI call, with the runtime's gRPC status and message, printed as Go's gRPC prints errors
 * ({@code rpc error: code = NotFound desc = container "x" not found}) so that kubelet texts match
 * upstream's.
 */
public final class CriException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient GrpcStatus status;

  public CriException(GrpcStatus status, String description) {
    super(
        "rpc error: code = "
            + codeName(status)
            + " desc = "
            + (description == null ? "" : description),
        null,
        false,
        false);
    this.status = status;
  }

  public GrpcStatus status() {
    return status;
  }

  /** {@code NOT_FOUND} → {@code NotFound}, as Go's {@code codes.Code.String()}. */
  static String codeName(GrpcStatus status) {
    StringBuilder out = new StringBuilder();
    for (String word : status.name().split("_")) {
      out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }
}
