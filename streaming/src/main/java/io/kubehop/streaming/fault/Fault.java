package io.kubehop.streaming.fault;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * One misbehaviour of a hop, as the {@link FaultHandler} of a socket on it plays it. Each is a
 * small value with a {@link #type()} (the metrics' {@code fault} label), a line for people ({@link
 * #describe()}), and a JSON form for {@code /debug/faults}.
 */
public sealed interface Fault {

  /** The kind, as in JSON and the metrics: {@code latency}, {@code bandwidth}, … */
  String type();

  /** One line: {@code latency 200ms}, {@code bandwidth 1MiB/s}, {@code reset after 1MiB}. */
  String describe();

  /** The JSON form: {@code type} and its parameters. */
  JsonObject toJson();

  /** The kinds, for metrics that show each one even while none is active. */
  List<String> TYPES = List.of("latency", "bandwidth", "stall", "reset", "idle-cut", "slow-reader");

  /** Every byte, either way, arrives {@code delay} later than it would; order is kept. */
  record Latency(Duration delay) implements Fault {
    public Latency {
      positive(delay, "latency");
    }

    public String type() {
      return "latency";
    }

    public String describe() {
      return "latency " + Units.duration(delay);
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("delay", Units.duration(delay));
    }
  }

  /** At most {@code bytesPerSecond} each way (a token bucket), back-pressure kept. */
  record Bandwidth(long bytesPerSecond) implements Fault {
    public Bandwidth {
      positive(bytesPerSecond, "bandwidth");
    }

    public String type() {
      return "bandwidth";
    }

    public String describe() {
      return "bandwidth " + Units.size(bytesPerSecond) + "/s";
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("bytesPerSecond", bytesPerSecond);
    }
  }

  /** No byte moves either way, and the socket stays open, until the fault is removed. */
  record Stall() implements Fault {
    public String type() {
      return "stall";
    }

    public String describe() {
      return "stall";
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type());
    }
  }

  /**
   * The socket is reset (TCP RST, as a crashed middlebox or peer does) once {@code afterBytes}
   * crossed it either way since the fault met it, or {@code afterTime} after that; one of the two.
   */
  record Reset(long afterBytes, Duration afterTime) implements Fault {
    public Reset {
      if ((afterBytes > 0) == (afterTime != null)) {
        throw new IllegalArgumentException(
            "a reset comes after bytes or after a time, one of them");
      }
      if (afterTime != null) {
        positive(afterTime, "reset after");
      }
    }

    public static Reset afterBytes(long bytes) {
      return new Reset(bytes, null);
    }

    public static Reset afterTime(Duration time) {
      return new Reset(0, time);
    }

    public String type() {
      return "reset";
    }

    public String describe() {
      return "reset after "
          + (afterTime == null ? Units.size(afterBytes) : Units.duration(afterTime));
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("type", type());
      return afterTime == null
          ? json.put("afterBytes", afterBytes)
          : json.put("afterTime", Units.duration(afterTime));
    }
  }

  /**
   * The socket is closed once no byte crossed it either way for {@code after}, as a load balancer
   * cuts an idle connection.
   */
  record IdleCut(Duration after) implements Fault {
    public IdleCut {
      positive(after, "idle cut");
    }

    public String type() {
      return "idle-cut";
    }

    public String describe() {
      return "idle cut after " + Units.duration(after);
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("after", Units.duration(after));
    }
  }

  /**
   * The hop's end nearer the client reads what comes from the backend at {@code bytesPerSecond}: a
   * slow consumer, whose window fills and pushes back on the sender. The apiserver plays it on its
   * writes toward the client ({@code client-apiserver}) and on its reads from the kubelet ({@code
   * apiserver-kubelet}), the kubelet on its reads from the runtime.
   */
  record SlowReader(long bytesPerSecond) implements Fault {
    public SlowReader {
      positive(bytesPerSecond, "slow reader");
    }

    public String type() {
      return "slow-reader";
    }

    public String describe() {
      return "slow reader " + Units.size(bytesPerSecond) + "/s";
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("bytesPerSecond", bytesPerSecond);
    }
  }

  /** The fault {@code json} describes; IllegalArgumentException when it describes none. */
  static Fault fromJson(JsonObject json) {
    String type = json.getString("type");
    if (type == null) {
      throw new IllegalArgumentException(
          "a fault needs a type, one of " + String.join(", ", TYPES));
    }
    try {
      return switch (type) {
        case "latency" -> new Latency(Units.duration(json.getString("delay", "")));
        case "bandwidth" -> new Bandwidth(json.getLong("bytesPerSecond", 0L));
        case "stall" -> new Stall();
        case "reset" ->
            json.containsKey("afterTime")
                ? Reset.afterTime(Units.duration(json.getString("afterTime")))
                : Reset.afterBytes(json.getLong("afterBytes", 0L));
        case "idle-cut" -> new IdleCut(Units.duration(json.getString("after", "")));
        case "slow-reader" -> new SlowReader(json.getLong("bytesPerSecond", 0L));
        default ->
            throw new IllegalArgumentException(
                "unknown fault type \"" + type + "\", one of " + String.join(", ", TYPES));
      };
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("malformed " + type + " fault: " + json.encode());
    }
  }

  private static void positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " needs a positive duration");
    }
  }

  private static void positive(long n, String what) {
    if (n <= 0) {
      throw new IllegalArgumentException(what + " needs a positive rate");
    }
  }
}
