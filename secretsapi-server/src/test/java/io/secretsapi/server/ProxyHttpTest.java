package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The injecting proxy against real HTTP upstreams on loopback that imitate the providers' auth and
 * record what they receive.
 */
class ProxyHttpTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String POLICY =
      "rules:\n  - id: root-all\n    effect: allow\n    principals: [root]\n    operations: ['*']\n";

  /** A secret of {@code provider} with a proxy scope on {@code host}, and a token for it. */
  static String token(
      SecretsApiClient root,
      String provider,
      String value,
      String host,
      Map<String, Object> scope) {
    return token(root, provider, value, host, scope, "5m");
  }

  static String token(
      SecretsApiClient root,
      String provider,
      String value,
      String host,
      Map<String, Object> scope,
      String ttl) {
    String id =
        root.createSecret(
                Map.of(
                    "name",
                    "p-" + provider + "-" + Math.abs(value.hashCode()),
                    "provider",
                    provider,
                    "resource_class",
                    "model-access",
                    "environment",
                    "production",
                    "value",
                    value))
            .get("id")
            .asString();
    return tokenFor(root, id, host, scope, ttl);
  }

  /** A proxy scope on {@code host} for secret {@code id}, and a token for it. */
  static String tokenFor(
      SecretsApiClient root, String id, String host, Map<String, Object> scope, String ttl) {
    Map<String, Object> s = new HashMap<>();
    s.put("name", "proxy");
    s.put("operations", List.of("proxy"));
    s.put(
        "upstream",
        Map.of(
            "hosts",
            List.of(host),
            "methods",
            List.of("POST", "GET"),
            "path_prefixes",
            List.of("/v1")));
    s.put("max_ttl", "15m");
    s.putAll(scope);
    Response r =
        root.send(
            "POST", "/secrets/" + id + "/scope", JSON.writeValueAsString(s), "application/json");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return root.call(
            "POST",
            "/tokens/issue",
            Map.of("secret_id", id, "scope", "proxy", "ttl", ttl, "environment", "production"))
        .get("token")
        .asString();
  }

  static TestServer server(TestStore store, LoopbackUpstream up) {
    return server(store, up.host());
  }

  /** A broker that may reach {@code host} on loopback, with the root-allows-all policy. */
  static TestServer server(TestStore store, String host) {
    TestServer s = TestServer.start(store, Map.of("proxy.insecure_upstreams", host));
    Response p = s.root().send("PUT", "/policies/KEY-SCOPE-17", POLICY, "application/yaml");
    assertThat(p.status()).as(p.body()).isEqualTo(200);
    return s;
  }

  static Response call(TestServer s, String token, String method, String hostAndPath, String body) {
    return s.anonymous()
        .withKey(token)
        .send(method, "/proxy/" + hostAndPath, body, body == null ? null : "application/json");
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_eachPreset_injectsTheCredentialWhereTheProviderWantsItAndNeverReturnsIt(
      TestStore store) throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = server(store, up)) {
      Map<String, String[]> presets =
          Map.of(
              "openai", new String[] {"authorization", "Bearer sk-proj-openai-0123456789abcdef"},
              "anthropic", new String[] {"x-api-key", "sk-ant-api03-anthropic-0123456789"},
              "github", new String[] {"authorization", "Bearer ghp_github0123456789abcdefXYZ"},
              "shopify", new String[] {"x-shopify-access-token", "shpat_0123456789abcdef0123"},
              "stripe", new String[] {"authorization", null});
      Map<String, String> values =
          Map.of(
              "openai", "sk-proj-openai-0123456789abcdef",
              "anthropic", "sk-ant-api03-anthropic-0123456789",
              "github", "ghp_github0123456789abcdefXYZ",
              "shopify", "shpat_0123456789abcdef0123",
              "stripe", "sk_live_stripe0123456789abcdef");
      for (var e : presets.entrySet()) {
        String provider = e.getKey();
        String value = values.get(provider);
        String token = token(s.root(), provider, value, up.host(), Map.of());
        int before = up.got.size();
        Response r =
            s.anonymous()
                .withKey(token)
                .send(
                    "POST",
                    "/proxy/" + up.host() + "/v1/chat/completions?model=gpt&stream=false",
                    "{\"model\":\"gpt-4o\"}",
                    "application/json",
                    Map.of(
                        "Accept-Encoding", "gzip",
                        "Proxy-Authorization", "Basic c3B5OnNweQ==",
                        "Keep-Alive", "timeout=5",
                        "X-Trace", "t1"));
        assertThat(r.status()).as(provider + ": " + r.body()).isEqualTo(400);
        Map<String, String> seen = up.got.get(before);
        assertThat(seen.get(":path")).isEqualTo("/v1/chat/completions");
        assertThat(seen.get(":query")).isEqualTo("model=gpt&stream=false");
        assertThat(seen.get(":body")).isEqualTo("{\"model\":\"gpt-4o\"}");
        assertThat(seen.get("x-trace")).isEqualTo("t1");
        assertThat(seen.get("accept-encoding")).as("plain bytes, to redact").isEqualTo("identity");
        assertThat(seen)
            .doesNotContainKey("http2-settings")
            .doesNotContainKey("proxy-authorization")
            .doesNotContainKey("keep-alive");
        String expected =
            e.getValue()[1] != null
                ? e.getValue()[1]
                : "Basic "
                    + java.util.Base64.getEncoder()
                        .encodeToString((value + ":").getBytes(StandardCharsets.UTF_8));
        assertThat(seen.get(e.getValue()[0])).as(provider).isEqualTo(expected);
        assertThat(String.join(" ", seen.values())).as("the caller's token").doesNotContain(token);
        assertThat(r.body()).as(provider + " echo").doesNotContain(value).contains("[redacted]");
        assertThat(r.headers().map().toString()).doesNotContain(value);
        assertThat(r.headers().firstValue("X-SecretsAPI-Audit-Ref")).isPresent();
      }
      List<String> records = s.auditRecords();
      assertThat(records).anyMatch(x -> x.contains("\"type\":\"proxy.complete\""));
      assertThat(records).anyMatch(x -> x.contains("\"type\":\"token.proxy\""));
      for (String v : values.values()) {
        assertThat(records).noneMatch(x -> x.contains(v));
        assertThat(CapturingAppender.lines()).noneMatch(x -> x.contains(v));
      }
      assertThat(records).noneMatch(x -> x.contains("stream=false"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_everyCallOutsideTheGrant_isRefusedWithAProblemAndARecord(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        LoopbackUpstream other = new LoopbackUpstream();
        TestServer s = server(store, up)) {
      String host = up.host();
      String token =
          token(s.root(), "openai", "sk-proj-refusals-0123456789", host, Map.of("max_uses", 3));
      String body = "{\"max_tokens\":10}";
      List<Response> refused = new ArrayList<>();
      refused.add(call(s, token, "POST", other.host() + "/v1/x", body)); // host outside
      refused.add(call(s, token, "DELETE", host + "/v1/x", null)); // method outside
      refused.add(call(s, token, "POST", host + "/v2/x", body)); // path outside
      refused.add(call(s, token, "POST", host + "/v1x", body)); // prefix is a whole segment
      refused.add(call(s, token, "POST", host + "/v1/../admin", body)); // dot segment
      refused.add(call(s, token, "POST", host + "/v1/%2e%2e/admin", body)); // encoded dots
      refused.add(call(s, token, "POST", host + "/v1/redirect", body)); // redirect elsewhere
      for (Response r : refused) {
        assertThat(r.status()).as(r.body()).isBetween(400, 502);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(JSON.readTree(r.body()).has("audit_ref")).as(r.body()).isTrue();
      }
      assertThat(refused.get(6).status()).isEqualTo(502);
      assertThat(up.got).noneMatch(g -> g.get(":path").contains("admin"));
      // Uses: 3 allowed; the redirect used one.
      assertThat(call(s, token, "POST", host + "/v1/a", body).status()).isEqualTo(400);
      assertThat(call(s, token, "POST", host + "/v1/b", body).status()).isEqualTo(400);
      Response over = call(s, token, "POST", host + "/v1/c", body);
      assertThat(over.status()).isEqualTo(403);
      assertThat(over.body()).contains("no uses left");

      String amount =
          token(
              s.root(),
              "openai",
              "sk-proj-amount-0123456789",
              host,
              Map.of("max_amount", "100", "amount_field", "max_tokens"));
      assertThat(call(s, amount, "POST", host + "/v1/a", "{\"max_tokens\":60}").status())
          .isEqualTo(400);
      Response tooMuch = call(s, amount, "POST", host + "/v1/a", "{\"max_tokens\":60}");
      assertThat(tooMuch.status()).isEqualTo(403);
      assertThat(tooMuch.body()).contains("more than the 40 left");
      assertThat(call(s, amount, "POST", host + "/v1/a", "{}").body())
          .contains("has no max_tokens");

      // A call refused for its uses keeps no part of its amount, and the other way round.
      String both =
          token(
              s.root(),
              "openai",
              "sk-proj-both-0123456789",
              host,
              Map.of("max_uses", 2, "max_amount", "100", "amount_field", "max_tokens"));
      String bothId =
          s.root().call("POST", "/tokens/introspect", Map.of("token", both)).get("jti").asString();
      assertThat(call(s, both, "POST", host + "/v1/a", "{\"max_tokens\":150}").status())
          .isEqualTo(403);
      assertThat(call(s, both, "POST", host + "/v1/a", "{\"max_tokens\":30}").status())
          .isEqualTo(400);
      assertThat(call(s, both, "POST", host + "/v1/a", "{\"max_tokens\":30}").status())
          .isEqualTo(400);
      Response noUses = call(s, both, "POST", host + "/v1/a", "{\"max_tokens\":30}");
      assertThat(noUses.body()).contains("no uses left");
      var grant = s.root().call("GET", "/tokens/" + bothId, null);
      assertThat(grant.get("uses").asLong()).as(grant.toString()).isEqualTo(2);
      assertThat(grant.get("amount_used").asString()).as(grant.toString()).isEqualTo("60");

      String revealOnly =
          token(
              s.root(),
              "openai",
              "sk-proj-reveal-0123456789",
              host,
              Map.of("operations", List.of("reveal")));
      assertThat(call(s, revealOnly, "POST", host + "/v1/a", body).body())
          .contains("does not allow proxy");

      // A name that resolves to a private address, without the switch.
      String priv = "localhost:" + other.http.getAddress().getPort();
      String privToken = token(s.root(), "openai", "sk-proj-private-0123456789", priv, Map.of());
      Response blocked = call(s, privToken, "POST", priv + "/v1/a", body);
      assertThat(blocked.status()).isEqualTo(502);
      assertThat(blocked.body()).contains("internal address");
      assertThat(other.got).isEmpty();

      String revoked = token(s.root(), "openai", "sk-proj-revoked-0123456789", host, Map.of());
      String revokedId =
          s.root()
              .call("POST", "/tokens/introspect", Map.of("token", revoked))
              .get("jti")
              .asString();
      s.root().call("POST", "/access/revoke", Map.of("token_id", revokedId));
      String expired =
          token(s.root(), "openai", "sk-proj-expired-0123456789", host, Map.of(), "1s");
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
      while (s.root()
              .call("POST", "/tokens/introspect", Map.of("token", expired))
              .get("active")
              .asBoolean()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      int before = up.got.size();
      for (String gone : List.of(revoked, expired)) {
        Response r = call(s, gone, "POST", host + "/v1/a", body);
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(JSON.readTree(r.body()).has("audit_ref")).as(r.body()).isTrue();
      }
      assertThat(up.got).hasSize(before);
      List<String> denied =
          s.auditRecords().stream()
              .filter(x -> x.contains("\"type\":\"token.proxy\"") && x.contains("\"deny\""))
              .toList();
      assertThat(denied).anyMatch(x -> x.contains("has been revoked") && x.contains(revokedId));
      assertThat(denied).anyMatch(x -> x.contains("expired at"));
      // A token this broker did not sign names nobody: the request's own record is all there is.
      Response forged = call(s, "not-a-token", "POST", host + "/v1/a", body);
      assertThat(forged.status()).isEqualTo(401);
      assertThat(JSON.readTree(forged.body()).has("audit_ref")).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_promptLargerThanTheApiBodyLimit_isForwardedWhileTheApiRefusesIt(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = server(store, up)) {
      String token = token(s.root(), "openai", "sk-proj-large-0123456789", up.host(), Map.of());
      String prompt = "{\"model\":\"gpt-4o\",\"prompt\":\"" + "x".repeat(200_000) + "\"}";
      Response r = call(s, token, "POST", up.host() + "/v1/chat/completions", prompt);
      assertThat(r.status()).as(r.body()).isEqualTo(400); // the stand-in's echo page
      assertThat(up.got.get(up.got.size() - 1).get(":body")).hasSize(prompt.length());
      Response api = s.root().send("POST", "/secrets", prompt, "application/json");
      assertThat(api.status()).isEqualTo(413);
      assertThat(JSON.readTree(api.body()).get("rule").asString()).isEqualTo("max_size");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_streamedAnswer_arrivesChunkByChunkAndRevocationCutsIt(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = server(store, up)) {
      String token = token(s.root(), "openai", "sk-proj-stream-0123456789", up.host(), Map.of());
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<java.io.InputStream> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(s.server().baseUrl() + "/proxy/" + up.host() + "/v1/stream"))
                  .header("Authorization", "Bearer " + token)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("data: first");
      assertThat(up.lastSent)
          .as("the first chunk arrived before the upstream sent the last")
          .isFalse();
      up.firstChunkSeen.countDown();
      StringBuilder rest = new StringBuilder();
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        rest.append(l).append('\n');
      }
      assertThat(rest.toString()).contains("data: last");

      try (LoopbackUpstream slow = new LoopbackUpstream();
          TestServer s2 = server(store, slow)) {
        String t2 = token(s2.root(), "openai", "sk-proj-cut-0123456789", slow.host(), Map.of());
        HttpResponse<java.io.InputStream> r2 =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            s2.server().baseUrl() + "/proxy/" + slow.host() + "/v1/slow/stream"))
                    .header("Authorization", "Bearer " + t2)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader in2 =
            new BufferedReader(new InputStreamReader(r2.body(), StandardCharsets.UTF_8));
        assertThat(in2.readLine()).isEqualTo("data: first");
        String id =
            s2.root().call("POST", "/tokens/introspect", Map.of("token", t2)).get("jti").asString();
        s2.root().call("POST", "/access/revoke", Map.of("token_id", id));
        slow.firstChunkSeen.countDown();
        StringBuilder tail = new StringBuilder();
        for (String l = in2.readLine(); l != null; l = in2.readLine()) {
          tail.append(l).append('\n');
        }
        assertThat(slow.lastSent).as("cut before the upstream's last chunk").isFalse();
        assertThat(tail.toString())
            .contains("data: {\"error\":")
            .contains("revoked")
            .contains("AU-")
            .doesNotContain("data: last");
      }
    }
  }
}
