/**
 * The upgrade-aware proxy: how the apiserver and the kubelet forward an upgraded streaming connection to the next
 * tier and splice it, and the hops ({@link io.kubehop.streaming.proxy.HopSession}) each tier holds.
 */
package io.kubehop.streaming.proxy;
