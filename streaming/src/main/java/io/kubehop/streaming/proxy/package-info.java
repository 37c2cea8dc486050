/**
 * The upgrade-aware proxy: how the apiserver and the kubelet forward an upgraded streaming
 * connection to the next tier and splice it; KEP-4006's {@link
 * io.kubehop.streaming.proxy.StreamTranslator} (WebSocket {@code v5.channel.k8s.io} toward the
 * client, SPDY toward the next hop) and the {@link io.kubehop.streaming.proxy.TranslatingHandler}
 * that chooses between them; and the hops ({@link io.kubehop.streaming.proxy.HopSession}) each tier
 * holds.
 */
package io.kubehop.streaming.proxy;
