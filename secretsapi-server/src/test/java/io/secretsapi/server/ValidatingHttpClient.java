package io.secretsapi.server;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The HttpClient under every {@link io.secretsapi.client.SecretsApiClient} a {@link TestServer}
 * hands out: it sends as the JDK's does, then checks the answer against the broker's OpenAPI
 * document ({@link ApiContract}) and fails the test on a mismatch, naming what to declare. A body
 * read as a stream (server-sent events, JSON Lines) is checked for its status and media type.
 */
final class ValidatingHttpClient extends HttpClient {
  private final HttpClient http;
  private final Supplier<ApiContract> contract;

  ValidatingHttpClient(HttpClient http, Supplier<ApiContract> contract) {
    this.http = http;
    this.contract = contract;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    HttpResponse<T> r = http.send(request, handler);
    Optional<String> body = r.body() instanceof String s ? Optional.of(s) : Optional.empty();
    check(request, r.statusCode(), r.headers(), body);
    return r;
  }

  private void check(HttpRequest request, int status, HttpHeaders headers, Optional<String> body) {
    List<String> errors =
        contract
            .get()
            .check(
                request.method(),
                request.uri(),
                status,
                headers.firstValue("Content-Type").orElse(""),
                body);
    if (!errors.isEmpty()) {
      throw new AssertionError(
          "the answer does not match /openapi.json:\n  "
              + String.join("\n  ", errors)
              + "\nanswer: "
              + body.map(b -> b.length() > 600 ? b.substring(0, 600) + "..." : b)
                  .orElse("(a stream)"));
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return http.sendAsync(request, handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> push) {
    return http.sendAsync(request, handler, push);
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return http.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return http.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return http.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return http.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return http.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return http.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return http.authenticator();
  }

  @Override
  public Version version() {
    return http.version();
  }

  @Override
  public Optional<Executor> executor() {
    return http.executor();
  }
}
