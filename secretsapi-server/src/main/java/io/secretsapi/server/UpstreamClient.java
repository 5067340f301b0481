package io.secretsapi.server;

import io.secretsapi.net.AddressGuard;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.client.Authentication;
import org.eclipse.jetty.client.AuthenticationStore;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.Promise;

/**
 * The one way the broker calls out with a credential (the proxy, validation probes): a Jetty client
 * that resolves each host itself, refuses it when any of its addresses is internal (loopback,
 * private, link-local and metadata, ...) unless the operator listed the host in {@code
 * proxy.insecure_upstreams}, and then connects to exactly the addresses it checked. It follows no
 * redirect, decodes nothing, and adds no User-Agent.
 *
 * <p>It keeps nothing from one call that could reach another: one client serves every caller, so a
 * cookie an upstream sets for one tenant's call, a credential it negotiated after a challenge or a
 * redirect it remembered would otherwise go out with the next tenant's call to the same host (whose
 * answer is redacted only of that tenant's key). Jetty's cookie store is replaced by an empty one,
 * its authentication store by one that stores nothing, its redirect cache removed, and its
 * challenge and redirect handlers dropped, so each request carries exactly the headers the broker
 * put on it.
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
    client.setHttpCookieStore(new HttpCookieStore.Empty());
    client.setAuthenticationStore(new NoAuthentications());
    client.setRedirectCache(null);
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
      // Pass 401, 407 and redirects through as answers: the broker never answers a challenge
      // upstream nor follows a redirect, and so never learns anything to send on a later call.
      client
          .getProtocolHandlers()
          .remove(org.eclipse.jetty.client.WWWAuthenticationProtocolHandler.NAME);
      client
          .getProtocolHandlers()
          .remove(org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler.NAME);
      client.getProtocolHandlers().remove(org.eclipse.jetty.client.RedirectProtocolHandler.NAME);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the upstream HTTP client", e);
    }
    return client;
  }

  /**
   * What {@code client} holds from earlier calls (cookies, credentials, redirects); none is kept.
   */
  static List<String> retained(HttpClient client) {
    List<String> held = new java.util.ArrayList<>();
    if (!client.getHttpCookieStore().all().isEmpty()) {
      held.add("cookies: " + client.getHttpCookieStore().all().size());
    }
    if (client.getAuthenticationStore().hasAuthenticationResults()) {
      held.add("authentication results");
    }
    if (client.getRedirectCache() != null && client.getRedirectCache().size() > 0) {
      held.add("redirects: " + client.getRedirectCache().size());
    }
    return held;
  }

  /** An authentication store that never holds anything: no call borrows another's credentials. */
  private static final class NoAuthentications implements AuthenticationStore {
    @Override
    public void addAuthentication(Authentication authentication) {}

    @Override
    public void removeAuthentication(Authentication authentication) {}

    @Override
    public void clearAuthentications() {}

    @Override
    public Authentication findAuthentication(String type, URI uri, String realm) {
      return null;
    }

    @Override
    public void addAuthenticationResult(Authentication.Result result) {}

    @Override
    public void removeAuthenticationResult(Authentication.Result result) {}

    @Override
    public void clearAuthenticationResults() {}

    @Override
    public Authentication.Result findAuthenticationResult(URI uri) {
      return null;
    }

    @Override
    public boolean hasAuthenticationResults() {
      return false;
    }
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
