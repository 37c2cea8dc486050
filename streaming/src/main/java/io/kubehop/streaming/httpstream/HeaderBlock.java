package io.kubehop.streaming.httpstream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The name/value pairs of a SPDY header block, immutable and in insertion order.
 *
 * <p>Names are stored lower-case and unique, because spdystream rejects anything else as a fatal
 * {@code header was not lowercased} / {@code multiple headers with same name}; several values of
 * one name travel as one value joined with NUL, and are split again on decode. Lookups are
 * case-insensitive, like Go's {@code http.Header.Get} after its canonicalisation ({@code
 * streamType} matches {@code streamtype}).
 */
public final class HeaderBlock {

  /** The block of zero pairs that a Kubernetes server puts in every SYN_REPLY. */
  public static final HeaderBlock EMPTY = new HeaderBlock(Map.of());

  private final Map<String, List<String>> values;

  private HeaderBlock(Map<String, List<String>> values) {
    this.values = values;
  }

  /** A block with one pair, e.g. {@code of("streamtype", "error")}. */
  public static HeaderBlock of(String name, String value) {
    return builder().add(name, value).build();
  }

  /** A block from alternating names and values. */
  public static HeaderBlock of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must alternate");
    }
    Builder b = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The first value of {@code name} (any case), or {@code null}. */
  public String get(String name) {
    List<String> v = values.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** All values of {@code name} (any case), possibly empty. */
  public List<String> getAll(String name) {
    return values.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** Lower-case names to their values, in insertion order. */
  public Map<String, List<String>> asMap() {
    return values;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public int size() {
    return values.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeaderBlock other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }

  /**
   * Collects pairs; repeated names (in any case) are merged into one lower-case name with several
   * values.
   */
  public static final class Builder {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Builder() {}

    public Builder add(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("empty header name");
      }
      values.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
      return this;
    }

    public HeaderBlock build() {
      if (values.isEmpty()) {
        return EMPTY;
      }
      Map<String, List<String>> copy = new LinkedHashMap<>();
      values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      return new HeaderBlock(Collections.unmodifiableMap(copy));
    }
  }
}
