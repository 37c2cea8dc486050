package io.kubehop.runtime.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodIpAllocatorTest {

  @Test
  void skipsNetworkGatewayAndBroadcast() {
    PodIpAllocator ips = new PodIpAllocator("127.20.1.0/30");
    assertEquals(Optional.of("127.20.1.2"), ips.allocate());
    assertEquals(Optional.empty(), ips.allocate());
  }

  @Test
  void lowestFreeAddressAfterRelease() {
    PodIpAllocator ips = new PodIpAllocator("127.20.1.7/24");
    assertEquals(Optional.of("127.20.1.2"), ips.allocate());
    assertEquals(Optional.of("127.20.1.3"), ips.allocate());
    assertEquals(Optional.of("127.20.1.4"), ips.allocate());
    ips.release("127.20.1.3");
    assertEquals(Optional.of("127.20.1.3"), ips.allocate());
    assertEquals(Optional.of("127.20.1.5"), ips.allocate());
  }

  @Test
  void rejectsMalformedCidrs() {
    assertEquals(
        "invalid pod CIDR \"127.20.1.0\": expected a.b.c.d/prefix",
        assertThrows(IllegalArgumentException.class, () -> new PodIpAllocator("127.20.1.0"))
            .getMessage());
    assertEquals(
        "invalid IPv4 address in \"127.300.1.0/24\"",
        assertThrows(IllegalArgumentException.class, () -> new PodIpAllocator("127.300.1.0/24"))
            .getMessage());
    assertEquals(
        "invalid pod CIDR \"127.0.0.0/31\": prefix length must be 8..30",
        assertThrows(IllegalArgumentException.class, () -> new PodIpAllocator("127.0.0.0/31"))
            .getMessage());
  }
}
