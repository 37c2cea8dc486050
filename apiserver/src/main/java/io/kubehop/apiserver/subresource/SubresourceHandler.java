package io.kubehop.apiserver.subresource;

import io.kubehop.apiserver.http.ApiRequest;

/**
 * A handler for one subresource of one resource (e.g. {@code pods/log}). It gets the raw request
 * with its body unread, so that connection-upgrading subresources ({@code exec}, {@code attach},
 * {@code portforward}, added later) can take over the socket. It answers every method itself, 405
 * included.
 */
@FunctionalInterface
public interface SubresourceHandler {

  void handle(ApiRequest request);
}
