package io.kubehop.runtime.pod;

import java.util.BitSet;
import java.util.Optional;

/**
 * Hands out pod IPs from the node's pod CIDR (for example 127.20.1.0/24): each sandbox gets the
 * lowest free address, skipping the network address (.0), the gateway (.1) and the broadcast
 * address. On Linux all of 127.0.0.0/8 is routed to {@code lo}, so a pod can bind its address
 * without any network setup.
 */
public final class PodIpAllocator {

  private final String cidr;
  private final long network;
  private final int size;
  private final BitSet used = new BitSet();

  /**
   * Parses an IPv4 CIDR; throws IllegalArgumentException with a readable message when it is not
   * one.
   */
  public PodIpAllocator(String cidr) {
    this.cidr = cidr;
    String[] parts = cidr.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "invalid pod CIDR \"" + cidr + "\": expected a.b.c.d/prefix");
    }
    int prefix;
    try {
      prefix = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid pod CIDR \"" + cidr + "\": bad prefix length");
    }
    if (prefix < 8 || prefix > 30) {
      throw new IllegalArgumentException(
          "invalid pod CIDR \"" + cidr + "\": prefix length must be 8..30");
    }
    long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    this.network = parseIpv4(parts[0], cidr) & mask;
    this.size = 1 << (32 - prefix);
  }

  /** Allocates the lowest free address, or empty when the range is exhausted. */
  public synchronized Optional<String> allocate() {
    int offset = used.nextClearBit(2);
    if (offset >= size - 1) {
      return Optional.empty();
    }
    used.set(offset);
    return Optional.of(format(network + offset));
  }

  /**
   * Marks a known address as used (when records are restored); false when it is outside the range.
   */
  public synchronized boolean reserve(String ip) {
    long offset = parseIpv4(ip, ip) - network;
    if (offset < 2 || offset >= size - 1) {
      return false;
    }
    used.set((int) offset);
    return true;
  }

  /** Returns an address to the pool; unknown addresses are ignored. */
  public synchronized void release(String ip) {
    if (ip == null || ip.isEmpty()) {
      return;
    }
    long offset = parseIpv4(ip, ip) - network;
    if (offset >= 0 && offset < size) {
      used.clear((int) offset);
    }
  }

  /** The CIDR this allocator serves. */
  public String cidr() {
    return cidr;
  }

  private static long parseIpv4(String text, String context) {
    String[] octets = text.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("invalid IPv4 address in \"" + context + "\"");
    }
    long value = 0;
    for (String octet : octets) {
      int n;
      try {
        n = Integer.parseInt(octet);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid IPv4 address in \"" + context + "\"");
      }
      if (n < 0 || n > 255) {
        throw new IllegalArgumentException("invalid IPv4 address in \"" + context + "\"");
      }
      value = (value << 8) | n;
    }
    return value;
  }

  private static String format(long ip) {
    return ((ip >> 24) & 0xFF)
        + "."
        + ((ip >> 16) & 0xFF)
        + "."
        + ((ip >> 8) & 0xFF)
        + "."
        + (ip & 0xFF);
  }
}
