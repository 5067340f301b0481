package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.SecretsApiClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The loopback forwarder of {@code run} between a real client and a real broker's proxy. */
class ForwarderTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** A lease and a forwarder for the fixture's intent; the first token is the command's. */
  private record Wired(TokenLease lease, Forwarder forwarder, String token)
      implements AutoCloseable {
    static Wired of(RunFixture f) throws Exception {
      return of(f, "5m");
    }

    static Wired of(RunFixture f, String ttl) throws Exception {
      SecretsApiClient client = f.server.root();
      IntentOptions o = new IntentOptions();
      o.secret = "openai-prod-key";
      o.scope = "model-access";
      o.ttl = ttl;
      Intent in = Intent.of(client, o);
      Intent.Issued first = in.issue(client);
      TokenLease lease = new TokenLease(client, in, first, new PrintWriter(new StringWriter()));
      return new Wired(
          lease, new Forwarder(f.server.server().baseUrl(), first.token(), lease), first.token());
    }

    @Override
    public void close() {
      forwarder.close();
      lease.revokeAll();
    }
  }

  private static HttpResponse<String> post(String url, String header, String value)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\"}"))
            .header("Content-Type", "application/json");
    if (header != null) {
      b.header(header, value);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void forward_commandsTokenInAnySdkHeader_reachesTheUpstreamWithTheKey() throws Exception {
    try (RunFixture f = new RunFixture();
        Wired w = Wired.of(f)) {
      String url = w.forwarder.address() + "/proxy/" + f.upstream.host() + "/v1/chat/completions";

      HttpResponse<String> bearer = post(url, "Authorization", "Bearer " + w.token);
      HttpResponse<String> xApiKey = post(url, "x-api-key", w.token);

      assertThat(bearer.statusCode()).as(bearer.body()).isEqualTo(200);
      assertThat(bearer.body()).contains("chatcmpl-1");
      assertThat(bearer.headers().allValues("date")).hasSize(1);
      assertThat(bearer.headers().firstValue("x-secretsapi-audit-ref")).isPresent();
      assertThat(xApiKey.statusCode()).as(xApiKey.body()).isEqualTo(200);
      assertThat(f.upstream.authorizations)
          .containsExactly("Bearer " + RunFixture.KEY, "Bearer " + RunFixture.KEY);
    }
  }

  @Test
  void forward_otherTokenOrNone_refusedWith401AndSentNowhere() throws Exception {
    try (RunFixture f = new RunFixture();
        Wired w = Wired.of(f)) {
      String url = w.forwarder.address() + "/proxy/" + f.upstream.host() + "/v1/chat/completions";
      String other = w.token.substring(0, w.token.length() - 2) + "xx";

      HttpResponse<String> wrong = post(url, "Authorization", "Bearer " + other);
      HttpResponse<String> none = post(url, null, null);
      HttpResponse<String> rootKey = post(url, "Authorization", "Bearer " + f.server.rootKey());

      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(rootKey.statusCode()).isEqualTo(401);
      assertThat(wrong.headers().firstValue("content-type")).hasValue("application/problem+json");
      assertThat(wrong.body() + none.body() + rootKey.body())
          .doesNotContain(other)
          .doesNotContain(f.server.rootKey());
      assertThat(f.upstream.authorizations).isEmpty();
    }
  }

  @Test
  void forward_pathOutsideTheProxy_notFound() throws Exception {
    try (RunFixture f = new RunFixture();
        Wired w = Wired.of(f)) {
      HttpResponse<String> r =
          post(w.forwarder.address() + "/tokens/derive", "Authorization", "Bearer " + w.token);

      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(f.upstream.authorizations).isEmpty();
    }
  }

  @Test
  void forward_serverSentEvents_eachEventArrivesBeforeTheUpstreamSendsTheNext() throws Exception {
    try (RunFixture f = new RunFixture();
        Wired w = Wired.of(f)) {
      HttpRequest req =
          HttpRequest.newBuilder(
                  URI.create(w.forwarder.address() + "/proxy/" + f.upstream.host() + "/v1/stream"))
              .header("Authorization", "Bearer " + w.token)
              .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}"))
              .build();
      HttpResponse<InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      // The broker's own doubled Content-Type is another fix's (issue 19); the upstream's passes.
      assertThat(r.headers().allValues("content-type"))
          .anySatisfy(c -> assertThat(c).startsWith("text/event-stream"));
      BufferedReader in =
          new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));

      // The upstream sends the second event only once this first one was read here.
      String first = CompletableFuture.supplyAsync(() -> line(in)).get(8, TimeUnit.SECONDS);
      f.upstream.firstEventSeen.countDown();
      StringBuilder rest = new StringBuilder();
      String l;
      while ((l = in.readLine()) != null) {
        rest.append(l).append('\n');
      }

      assertThat(first).isEqualTo("data: {\"n\":1}");
      assertThat(rest.toString()).contains("data: {\"n\":2}").contains("data: [DONE]");
    }
  }

  @Test
  void renew_duringAStream_keepsTheStreamsTokenUntilTheStreamEndsThenRevokesIt() throws Exception {
    try (RunFixture f = new RunFixture();
        Wired w = Wired.of(f, "4s")) {
      String firstId = w.lease.tokenIds().get(0);
      HttpRequest req =
          HttpRequest.newBuilder(
                  URI.create(w.forwarder.address() + "/proxy/" + f.upstream.host() + "/v1/stream"))
              .header("Authorization", "Bearer " + w.token)
              .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}"))
              .build();
      HttpResponse<InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
      BufferedReader in =
          new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("data: {\"n\":1}");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (w.lease.tokenIds().size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(w.lease.tokenIds()).hasSizeGreaterThanOrEqualTo(2);
      String during = status(f, firstId);

      f.upstream.firstEventSeen.countDown();
      StringBuilder rest = new StringBuilder();
      String l;
      while ((l = in.readLine()) != null) {
        rest.append(l).append('\n');
      }
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!status(f, firstId).equals("revoked") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }

      assertThat(during).as("the stream's token while it streams").isNotEqualTo("revoked");
      assertThat(rest.toString()).contains("data: [DONE]");
      assertThat(status(f, firstId)).isEqualTo("revoked");
    }
  }

  private static String status(RunFixture f, String tokenId) {
    return f.server.root().call("GET", "/tokens/" + tokenId, null).get("status").asString();
  }

  private static String line(BufferedReader in) {
    try {
      return in.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void revokeAll_afterUse_leavesNoTokenActive() throws Exception {
    try (RunFixture f = new RunFixture()) {
      Wired w = Wired.of(f);
      w.close();

      assertThat(
              f.server
                  .root()
                  .call("POST", "/tokens/introspect", Map.of("token", w.token))
                  .get("active")
                  .asBoolean())
          .isFalse();
    }
  }
}
