/**
 * Faults an operator injects on a hop of the streaming path, to see what users of real clusters see
 * when a network misbehaves: added latency, a bandwidth cap, a stall, a reset after some bytes or
 * some time, an idle cut as a load balancer makes, a slow reader. A tier holds its rules in a
 * {@link io.kubehop.streaming.fault.FaultTable} (served on {@code /debug/faults}), and a {@link
 * io.kubehop.streaming.fault.FaultHandler} beside each streaming socket's meter applies them.
 *
 * <p>Above {@code transport} (it reaches the socket's channel through its meter), below the
 * protocol layers that never see it; {@code proxy} installs it on the hops it holds.
 */
package io.kubehop.streaming.fault;
