package io.secretsapi.rotation;

import io.secretsapi.events.WebhookDispatcher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code webhook} rotator: a signed POST to the owner's endpoint, which makes the new
 * credential at the provider (OpenAI, Stripe, Cloudflare... the owner's way) and answers it as
 * {@code {"value":"..."}}. The call carries the rotation id as its {@code Idempotency-Key}, so an
 * endpoint asked again after a crash can answer the same credential. Each attempt waits at most the
 * secret's timeout; a timeout, a network error or a 5xx is tried again with doubling backoff, up to
 * {@link #ATTEMPTS} attempts; a 4xx or an answer that is not that JSON fails at once. At the end of
 * the grace window the endpoint is told to retire the previous credential ({@code
 * "action":"retire"}), once, best effort: the broker seals its copy whatever the answer.
 *
 * <p>Signature: header {@code SecretsAPI-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of t + "."
 * + body>}, keyed with the UTF-8 bytes of the secret's rotation signing secret ({@code rsec_...}),
 * the same scheme as the event webhooks.
 */
final class WebhookRotator implements Rotator {
  static final int ATTEMPTS = 3;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_ANSWER = 64 * 1024;

  private final HttpClient client;
  private final Function<String, String> signingSecret;
  private final Clock clock;
  private final Duration firstBackoff;

  WebhookRotator(Function<String, String> signingSecret, Clock clock, Duration firstBackoff) {
    this.signingSecret = signingSecret;
    this.clock = clock;
    this.firstBackoff = firstBackoff;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @Override
  public String make(Context c) {
    String body = body(c, "rotate");
    String last = "no attempt was made";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) {
        pause(firstBackoff.multipliedBy(1L << (attempt - 2)));
      }
      HttpResponse<byte[]> r;
      try {
        r = post(c, body);
      } catch (HttpTimeoutException e) {
        last =
            "the rotator's endpoint did not answer within "
                + c.settings().timeout().toMillis()
                + " ms";
        continue;
      } catch (IOException e) {
        last = "the rotator's endpoint could not be reached (" + e.getClass().getSimpleName() + ")";
        continue;
      }
      int s = r.statusCode();
      if (s / 100 == 5) {
        last = "the rotator's endpoint answered HTTP " + s;
        continue;
      }
      if (s / 100 != 2) {
        throw new RotatorException("the rotator's endpoint answered HTTP " + s);
      }
      return value(r.body());
    }
    throw new RotatorException(last + " (" + ATTEMPTS + " attempts)");
  }

  @Override
  public void retire(Context c) {
    try {
      post(c, body(c, "retire"));
    } catch (IOException e) {
      // best effort: the previous value is sealed in the vault whatever the endpoint does
    }
  }

  private String body(Context c, String action) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("action", action);
    b.put("rotation_id", c.job().id());
    b.put("secret_id", c.secret().id());
    b.put("name", c.secret().name());
    b.put("provider", c.secret().provider());
    b.put("environment", c.secret().environment());
    b.put("current_version", c.secret().currentVersion());
    return JSON.writeValueAsString(b);
  }

  private HttpResponse<byte[]> post(Context c, String body) throws IOException {
    long t = clock.millis() / 1000;
    String sig =
        WebhookDispatcher.sign(
            signingSecret.apply(c.secret().id()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
            t,
            body);
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(c.settings().webhookUrl().orElseThrow()))
            .timeout(c.settings().timeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "SecretsAPI-Rotator/1")
            .header("Idempotency-Key", c.job().id())
            .header(WebhookDispatcher.SIGNATURE_HEADER, "t=" + t + ",v1=" + sig)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return client.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RotatorException("interrupted while calling the rotator's endpoint", e);
    }
  }

  /** The value of an answer {@code {"value":"..."}}; anything else is garbage. */
  private static String value(byte[] answer) {
    String garbage =
        "the rotator's endpoint answered garbage: expected JSON {\"value\": \"...\"} with a non-empty"
            + " string of at most 16384 characters";
    if (answer.length > MAX_ANSWER) {
      throw new RotatorException(garbage);
    }
    JsonNode n;
    try {
      n = JSON.readTree(answer);
    } catch (RuntimeException e) {
      throw new RotatorException(garbage);
    }
    JsonNode v = n == null ? null : n.get("value");
    if (v == null || !v.isString() || v.asString().isEmpty() || v.asString().length() > 16384) {
      throw new RotatorException(garbage);
    }
    return v.asString();
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RotatorException(
          "interrupted while waiting to call the rotator's endpoint again", e);
    }
  }
}
