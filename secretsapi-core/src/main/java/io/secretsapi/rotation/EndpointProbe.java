package io.secretsapi.rotation;

import io.secretsapi.net.AddressGuard;
import io.secretsapi.proxy.Injection;
import io.secretsapi.secret.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * The probe of a pending value at the secret's validation endpoint (set by its owner with {@code
 * PUT /secrets/{id}/validation-endpoint}): a GET with the value injected as the proxy would inject
 * it; 2xx passes. A secret with no endpoint has nothing probed here: its rotator's own check stands
 * (the PostgreSQL rotator logs in with the new pair). The destination comes only from the owner's
 * setting, and resolves to a public address unless the broker allows internal ones.
 */
final class EndpointProbe implements PendingProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private final boolean allowInternal;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  EndpointProbe(boolean allowInternal) {
    this.allowInternal = allowInternal;
  }

  @Override
  public Optional<String> check(Secret secret, String pending) {
    if (secret.validationUrl().isEmpty()) {
      return Optional.empty();
    }
    URI target = URI.create(secret.validationUrl().get());
    try {
      AddressGuard.resolve(target.getHost(), allowInternal);
    } catch (AddressGuard.BlockedAddressException e) {
      return Optional.of("the validation endpoint's host " + e.getMessage());
    }
    Injection injection = secret.injection();
    try {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(injection.target(target, pending)).timeout(TIMEOUT).GET();
      if (injection.inHeader()) {
        req.header(injection.header(), injection.headerValue(pending));
      }
      int s = client.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      return s / 100 == 2
          ? Optional.empty()
          : Optional.of("the validation endpoint refused the new value (HTTP " + s + ")");
    } catch (HttpTimeoutException e) {
      return Optional.of("the validation endpoint did not answer within 15 s");
    } catch (IOException e) {
      return Optional.of(
          "the validation endpoint could not be reached (" + e.getClass().getSimpleName() + ")");
    } catch (Injection.UnfitValueException e) {
      return Optional.of(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while probing the validation endpoint");
    }
  }
}
