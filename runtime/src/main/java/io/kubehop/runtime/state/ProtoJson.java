package io.kubehop.runtime.state;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.vertx.core.json.JsonObject;

/** CRI messages as JSON (protobuf's canonical JSON mapping, field names in lowerCamelCase). */
public final class ProtoJson {

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .alwaysPrintFieldsWithNoPresence() // show SANDBOX_READY, exitCode 0 … instead of omitting
          // defaults
          .omittingInsignificantWhitespace();

  private ProtoJson() {}

  /** The message as a JSON object. */
  public static JsonObject toJson(MessageOrBuilder message) {
    try {
      return new JsonObject(PRINTER.print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("CRI message not printable as JSON: " + e.getMessage(), e);
    }
  }
}
