package io.kubehop.client.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The apiservers an apiserver's {@code GET /debug/apiservers} lists (their identity Leases), and
 * which of them {@code kubehop trace} still asks: one whose Lease ran out ({@code renewTime} +
 * {@code leaseDurationSeconds} before now, on the CLI's clock) is gone, a killed apiserver that is
 * not dialled at all.
 */
public final class ApiServers {

  private ApiServers() {
    throw new AssertionError("No instances.");
  }

  /**
   * One apiserver.
   *
   * @param id its {@code --apiserver-id}
   * @param url where it is reached directly, not through a balancer
   * @param lease its identity Lease's name in {@code kube-system}; null with the file store (one
   *     apiserver, no Lease)
   * @param renewTime when it last renewed the Lease; null without one
   * @param leaseDuration how long a renewal holds; null without a Lease
   */
  public record Entry(
      String id, String url, String lease, Instant renewTime, Duration leaseDuration) {

    /** How long ago its Lease ran out at {@code now}; zero while it holds (or has no Lease). */
    public Duration expiredFor(Instant now) {
      if (renewTime == null || leaseDuration == null) {
        return Duration.ZERO;
      }
      Duration past = Duration.between(renewTime.plus(leaseDuration), now);
      return past.isNegative() ? Duration.ZERO : past;
    }

    public boolean gone(Instant now) {
      return !expiredFor(now).isZero();
    }

    /**
     * {@code apiserver apiserver-2: gone (its lease kube-system/apiserver-… expired 12s ago)}: the
     * warning {@code kubehop trace} prints for it.
     */
    public String goneMessage(Instant now) {
      return "apiserver "
          + id
          + ": gone (its lease kube-system/"
          + lease
          + " expired "
          + expiredFor(now).toSeconds()
          + "s ago)";
    }
  }

  /** The entries of a {@code /debug/apiservers} answer, in its order. */
  public static List<Entry> parse(JsonNode answer) {
    List<Entry> entries = new ArrayList<>();
    for (JsonNode a : answer.path("apiservers")) {
      String lease = text(a, "lease");
      Instant renewed = null;
      Duration duration = null;
      if (lease != null) {
        try {
          renewed = Instant.parse(a.path("renewTime").asText());
        } catch (DateTimeParseException e) {
          renewed = Instant.EPOCH; // a Lease never renewed counts as long expired
        }
        duration = Duration.ofSeconds(a.path("leaseDurationSeconds").asLong());
      }
      entries.add(new Entry(text(a, "id"), text(a, "url"), lease, renewed, duration));
    }
    return entries;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }
}
