package io.secretsapi.server;

import io.secretsapi.net.AddressGuard;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Promise;

/**
 * The one way the broker calls out with a credential (the proxy, validation probes): a Jetty client
 * that resolves each host itself, refuses it when any of its addresses is internal (loopback,
 * private, link-local and metadata, ...) unless the operator listed the host in {@code
 * proxy.insecure_upstreams}, and then connects to exactly the addresses it checked. It follows no
 * redirect, decodes nothing, and adds no User-Agent.
 */
final class UpstreamClient {
  private UpstreamClient() {}

  /** The upstream's name resolves to an address the broker will not call. */
  static final class BlockedUpstreamException extends IOException {
    BlockedUpstreamException(String message) {
      super(message);
    }
  }

  /** True when {@code host} (with or without its port) may be reached internally and over HTTP. */
  static boolean insecure(Set<String> insecure, String host, int port) {
    return insecure.contains(host + ":" + port) || insecure.contains(host);
  }

  static HttpClient start(Set<String> insecure, long idleMillis) {
    return start((host, port) -> insecure(insecure, host, port), idleMillis);
  }

  /**
   * A client whose resolver allows internal addresses for the hosts {@code allowInternal} names.
   */
  static HttpClient start(
      java.util.function.BiPredicate<String, Integer> allowInternal, long idleMillis) {
    HttpClient client = new HttpClient();
    client.setFollowRedirects(false);
    client.setConnectTimeout(10_000);
    client.setIdleTimeout(idleMillis);
    client.setUserAgentField(null);
    client.getContentDecoderFactories().clear();
    client.setSocketAddressResolver(
        (String host,
            int port,
            Map<String, Object> context,
            Promise<List<InetSocketAddress>> promise) -> {
          try {
            promise.succeeded(
                AddressGuard.resolve(host, allowInternal.test(host, port)).stream()
                    .map(a -> new InetSocketAddress(a, port))
                    .toList());
          } catch (AddressGuard.BlockedAddressException e) {
            promise.failed(new BlockedUpstreamException(e.getMessage()));
          }
        });
    try {
      client.start();
      // Pass 401 and 407 through as answers: the broker never answers a challenge upstream.
      client
          .getProtocolHandlers()
          .remove(org.eclipse.jetty.client.WWWAuthenticationProtocolHandler.NAME);
      client
          .getProtocolHandlers()
          .remove(org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler.NAME);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the upstream HTTP client", e);
    }
    return client;
  }

  /** Webhook deliveries through a guarded client: POST, 10 s, no redirect. */
  static io.secretsapi.events.WebhookTransport webhookTransport(HttpClient client) {
    return (url, headers, body) -> {
      org.eclipse.jetty.client.Request r =
          client
              .newRequest(url)
              .method("POST")
              .timeout(10, java.util.concurrent.TimeUnit.SECONDS)
              .headers(h -> headers.forEach(h::put))
              .body(new org.eclipse.jetty.client.StringRequestContent("application/json", body));
      try {
        return r.send().getStatus();
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable c = e.getCause() == null ? e : e.getCause();
        throw new IOException(
            c instanceof BlockedUpstreamException ? c.getMessage() : c.getClass().getSimpleName(),
            c);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IOException("no answer within 10 s", e);
      }
    };
  }
}
