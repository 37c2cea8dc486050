package io.kubehop.apiserver.subresource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.http.ApiRequest;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.subresource.UpgradeSubresources.Target;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.HopSession;
import io.kubehop.streaming.proxy.Peer;
import io.kubehop.streaming.proxy.SessionSubject;
import io.kubehop.streaming.proxy.StreamTranslator;
import io.kubehop.streaming.proxy.UpgradeAwareProxy;
import io.kubehop.streaming.proxy.WebSocketTranslation;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.websocket.ChannelProtocol;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET|POST …/pods/{name}/exec} and {@code …/attach}: resolves pod → container → node →
 * kubelet, translates the query to the kubelet's parameters ({@code stdin} → {@code input=1}, …
 * docs/design.md, apiserver → kubelet) and hands the upgrade request on:
 *
 * <ul>
 *   <li>a WebSocket offering {@code v5.channel.k8s.io} (kubectl 1.30+) goes by the {@link
 *       WebSocketTranslation} mode: to the {@link StreamTranslator} (SPDY toward the kubelet),
 *       passed through to a kubelet that translates itself, or refused so that kubectl falls back
 *       to SPDY;
 *   <li>everything else (SPDY, older WebSocket subprotocols) to the {@link UpgradeAwareProxy},
 *       which dials the kubelet on a connection of its own and splices it with the client's once
 *       the kubelet (or, in redirect mode, the runtime) answered 101.
 * </ul>
 */
public final class StreamSubresource implements SubresourceHandler {

  /** Which subresource: exec carries a command, attach does not. */
  public enum Verb {
    EXEC("exec"),
    ATTACH("attach");

    private final String path;

    Verb(String path) {
      this.path = path;
    }
  }

  private final Verb verb;
  private final Store store;
  private final NodeLocator nodes;
  private final UpgradeAwareProxy proxy;
  private final StreamTranslator translator;
  private final WebSocketTranslation translation;
  private final HopRegistry hops;

  public StreamSubresource(
      Verb verb,
      Store store,
      NodeLocator nodes,
      UpgradeAwareProxy proxy,
      StreamTranslator translator,
      WebSocketTranslation translation,
      HopRegistry hops) {
    this.hops = hops;
    this.verb = verb;
    this.store = store;
    this.nodes = nodes;
    this.proxy = proxy;
    this.translator = translator;
    this.translation = translation;
  }

  @Override
  public void handle(ApiRequest req) {
    UpgradeSubresources.requireGetOrPost(req);
    boolean v5 = StreamTranslator.isWebSocketRequestWithStreamCloseProtocol(req.http().headers());
    if (v5 && translation == WebSocketTranslation.OFF) {
      // Any answer but 101 makes kubectl fall back to SPDY (its FallbackExecutor checks
      // IsUpgradeFailure).
      throw StatusException.badRequest(
          "unable to upgrade: WebSocket streaming ("
              + ChannelProtocol.V5.wireName()
              + ") is turned off on this apiserver (--websocket-translation=off); use SPDY");
    }
    UpgradeSubresources.serve(
        req, store, hops, verb.path, pod -> locate(req, pod), target -> route(req, target, v5));
  }

  private Future<HopSession> route(ApiRequest req, Target target, boolean v5) {
    boolean translateHere =
        v5 && !(translation == WebSocketTranslation.KUBELET && target.kubeletTranslates());
    if (translateHere) {
      return translator.translate(
          req.http(), target.location(), StreamOptions.fromApiServerQuery(req.query()));
    }
    return proxy.proxy(req.http(), target.location());
  }

  private Future<Target> locate(ApiRequest req, ObjectNode pod) {
    String container = NodeLocator.resolveContainer(pod, req.param("container"));
    String phase = pod.path("status").path("phase").asText("");
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      throw StatusException.badRequest(
          (verb == Verb.EXEC ? "cannot exec into" : "cannot attach to")
              + " a container in a completed pod; current phase is "
              + phase);
    }
    String query = kubeletQuery(req.query(), verb);
    String node = pod.path("spec").path("nodeName").asText("");
    return UpgradeSubresources.readyKubelet(nodes, pod, req.name(), verb.path + " into")
        .map(
            kubelet ->
                new Target(
                    URI.create(
                        kubelet.origin()
                            + "/"
                            + verb.path
                            + "/"
                            + req.namespace()
                            + "/"
                            + req.name()
                            + "/"
                            + container
                            + query),
                    kubelet.webSockets(),
                    new SessionSubject(
                        verb.path,
                        req.namespace() + "/" + req.name(),
                        container,
                        new Peer("kubelet", node, kubelet.toString()),
                        verb == Verb.EXEC ? req.query().getAll("command") : List.of(),
                        req.user())));
  }

  /**
   * The kubelet's query: {@code command} repeated, then the stream flags as {@code 1}, in Go's
   * sorted {@code url.Values} order. Flags follow upstream's {@code Convert_Slice_string_To_bool}:
   * absent, {@code 0} and {@code false} (any case) are false, anything else is true.
   */
  static String kubeletQuery(MultiMap params, Verb verb) {
    StringBuilder q = new StringBuilder();
    if (verb == Verb.EXEC) {
      for (String arg : params.getAll("command")) {
        q.append(q.length() == 0 ? '?' : '&')
            .append("command=")
            .append(URLEncoder.encode(arg, StandardCharsets.UTF_8).replace("+", "%20"));
      }
    }
    String[][] flags = {
      {"error", "stderr"}, {"input", "stdin"}, {"output", "stdout"}, {"tty", "tty"}
    };
    for (String[] flag : flags) {
      if (flag(params, flag[1])) {
        q.append(q.length() == 0 ? '?' : '&').append(flag[0]).append("=1");
      }
    }
    if (!flag(params, "stdin") && !flag(params, "stdout") && !flag(params, "stderr")) {
      throw StatusException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
    }
    return q.toString();
  }

  private static boolean flag(MultiMap params, String name) {
    String value = params.get(name);
    if (value == null) {
      return false;
    }
    String v = value.toLowerCase(Locale.ROOT);
    return !(v.equals("0") || v.equals("false"));
  }
}
