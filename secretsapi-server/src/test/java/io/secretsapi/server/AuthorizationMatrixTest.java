package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.access.Scope;
import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every endpoint of the route table against no key, a revoked key, a key lacking the scope, another
 * account's key, and the right key. A route that this table does not know fails the test, so no
 * endpoint is added without its authorization being checked.
 */
class AuthorizationMatrixTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** How another account's key should fare: the object is hidden, the list is filtered, or own. */
  enum Other {
    HIDDEN,
    FILTERED,
    OWN,
    PUBLIC,
    NEEDS_PRIVILEGE,
    SCOPE_ONLY,
    POLICY,
    TOKEN,
    PROXY,
    /** Names another account's object in its body: refused as unknown, by field (400). */
    UNKNOWN_TO_OTHER
  }

  static final Map<String, Other> ROUTES =
      Map.ofEntries(
          Map.entry("POST /secrets", Other.OWN),
          Map.entry("GET /secrets", Other.FILTERED),
          Map.entry("GET /secrets/{id}", Other.HIDDEN),
          Map.entry("PUT /secrets/{id}/value", Other.HIDDEN),
          Map.entry("PUT /secrets/{id}/injection", Other.HIDDEN),
          Map.entry("DELETE /secrets/{id}/injection", Other.HIDDEN),
          Map.entry("GET /secrets/{id}/versions", Other.HIDDEN),
          Map.entry("POST /secrets/{id}/rotate", Other.HIDDEN),
          Map.entry("DELETE /secrets/{id}", Other.HIDDEN),
          Map.entry("POST /service-accounts", Other.NEEDS_PRIVILEGE),
          Map.entry("GET /service-accounts", Other.FILTERED),
          Map.entry("POST /service-accounts/{id}/revoke", Other.NEEDS_PRIVILEGE),
          Map.entry("POST /api-keys", Other.OWN),
          Map.entry("GET /api-keys", Other.FILTERED),
          Map.entry("GET /api-keys/{id}", Other.HIDDEN),
          Map.entry("POST /api-keys/{id}/rotate", Other.HIDDEN),
          Map.entry("POST /api-keys/{id}/revoke", Other.HIDDEN),
          Map.entry("POST /admin/kek/rotate", Other.NEEDS_PRIVILEGE),
          Map.entry("GET /health/live", Other.PUBLIC),
          Map.entry("GET /health/ready", Other.PUBLIC),
          Map.entry("GET /metrics", Other.PUBLIC),
          Map.entry("GET /openapi.json", Other.PUBLIC),
          Map.entry("POST /secrets/{id}/scope", Other.HIDDEN),
          Map.entry("GET /secrets/{id}/scopes", Other.HIDDEN),
          Map.entry("DELETE /secrets/{id}/scopes/{name}", Other.HIDDEN),
          Map.entry("POST /tokens/issue", Other.POLICY),
          Map.entry("POST /tokens/derive", Other.TOKEN),
          Map.entry("POST /tokens/introspect", Other.SCOPE_ONLY),
          Map.entry("POST /tokens/resolve", Other.TOKEN),
          Map.entry("GET /tokens", Other.FILTERED),
          Map.entry("GET /tokens/{id}", Other.HIDDEN),
          Map.entry("GET /tokens/{id}/lineage", Other.HIDDEN),
          Map.entry("POST /access/revoke", Other.HIDDEN),
          Map.entry("PUT /policies/{id}", Other.NEEDS_PRIVILEGE),
          Map.entry("GET /policies", Other.SCOPE_ONLY),
          Map.entry("GET /policies/{id}", Other.SCOPE_ONLY),
          Map.entry("GET /policies/{id}/versions", Other.SCOPE_ONLY),
          Map.entry("GET /policies/{id}/diff", Other.SCOPE_ONLY),
          Map.entry("POST /policies/test", Other.SCOPE_ONLY),
          Map.entry("GET /.well-known/jwks.json", Other.PUBLIC),
          Map.entry("GET /.well-known/oauth-protected-resource", Other.PUBLIC),
          Map.entry("GET /.well-known/oauth-protected-resource/mcp", Other.PUBLIC),
          Map.entry("POST /admin/token-keys/rotate", Other.NEEDS_PRIVILEGE),
          Map.entry("GET /audit/trail", Other.SCOPE_ONLY),
          Map.entry("GET /audit/export", Other.NEEDS_PRIVILEGE),
          Map.entry("GET /audit/checkpoints", Other.SCOPE_ONLY),
          Map.entry("POST /audit/checkpoints", Other.SCOPE_ONLY),
          Map.entry("GET /audit/jwks.json", Other.PUBLIC),
          Map.entry("GET /audit/proof/inclusion", Other.SCOPE_ONLY),
          Map.entry("GET /audit/proof/consistency", Other.SCOPE_ONLY),
          Map.entry("GET /access/events", Other.SCOPE_ONLY),
          Map.entry("POST /webhooks", Other.OWN),
          Map.entry("GET /webhooks", Other.FILTERED),
          Map.entry("GET /webhooks/{id}", Other.HIDDEN),
          Map.entry("DELETE /webhooks/{id}", Other.HIDDEN),
          Map.entry("GET /webhooks/{id}/deliveries", Other.HIDDEN),
          Map.entry("POST /secrets/{id}/validate", Other.HIDDEN),
          Map.entry("GET /secrets/{id}/validation", Other.HIDDEN),
          Map.entry("PUT /secrets/{id}/validation-endpoint", Other.HIDDEN),
          Map.entry("DELETE /secrets/{id}/validation-endpoint", Other.HIDDEN),
          Map.entry("GET /proxy/{host}/<path>", Other.PROXY),
          Map.entry("HEAD /proxy/{host}/<path>", Other.PROXY),
          Map.entry("OPTIONS /proxy/{host}/<path>", Other.PROXY),
          Map.entry("POST /proxy/{host}/<path>", Other.PROXY),
          Map.entry("PUT /proxy/{host}/<path>", Other.PROXY),
          Map.entry("PATCH /proxy/{host}/<path>", Other.PROXY),
          Map.entry("DELETE /proxy/{host}/<path>", Other.PROXY),
          Map.entry("PUT /secrets/{id}/rotation", Other.HIDDEN),
          Map.entry("GET /secrets/{id}/rotation", Other.HIDDEN),
          Map.entry("GET /rotations", Other.FILTERED),
          Map.entry("GET /rotations/{id}", Other.HIDDEN),
          Map.entry("POST /incidents", Other.UNKNOWN_TO_OTHER),
          Map.entry("GET /incidents", Other.FILTERED),
          Map.entry("GET /incidents/{id}", Other.HIDDEN),
          Map.entry("POST /incidents/{id}/close", Other.HIDDEN),
          Map.entry("GET /approvals", Other.FILTERED),
          Map.entry("GET /approvals/{id}", Other.HIDDEN),
          Map.entry("POST /approvals/{id}/approve", Other.HIDDEN),
          Map.entry("POST /approvals/{id}/deny", Other.HIDDEN),
          Map.entry("GET /exposure", Other.FILTERED),
          Map.entry("GET /secrets/{id}/exposure", Other.HIDDEN),
          Map.entry("GET /exposure/thresholds", Other.FILTERED),
          Map.entry("PUT /exposure/thresholds", Other.NEEDS_PRIVILEGE),
          Map.entry("GET /topology", Other.FILTERED),
          Map.entry("PUT /topology/zones/{name}", Other.SCOPE_ONLY),
          Map.entry("DELETE /topology/zones/{name}", Other.SCOPE_ONLY),
          Map.entry("POST /packages", Other.UNKNOWN_TO_OTHER),
          Map.entry("GET /packages", Other.FILTERED),
          Map.entry("GET /packages/{id}", Other.HIDDEN),
          Map.entry("PUT /packages/{id}", Other.HIDDEN),
          Map.entry("DELETE /packages/{id}", Other.HIDDEN),
          Map.entry("POST /engines", Other.UNKNOWN_TO_OTHER),
          Map.entry("GET /engines", Other.FILTERED),
          Map.entry("GET /engines/{id}", Other.HIDDEN),
          Map.entry("PATCH /engines/{id}", Other.HIDDEN),
          Map.entry("POST /engines/{id}/bindings", Other.HIDDEN),
          Map.entry("DELETE /engines/{id}/bindings/{package_id}", Other.HIDDEN),
          Map.entry("GET /engines/{id}/credentials", Other.HIDDEN));

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void everyEndpoint_eachKindOfCaller_getsTheRightAnswer(TestStore store) {
    try (TestServer s = TestServer.start(store, Map.of("webhooks.allow_internal", "true"))) {
      MatrixFixture f = new MatrixFixture(s);
      List<RouteSpec> routes = s.server().routes();
      assertThat(routes.stream().map(r -> r.method() + " " + r.path()).toList())
          .as("every route has a row in this matrix")
          .containsExactlyInAnyOrderElementsOf(ROUTES.keySet());

      SecretsApiClient none = s.anonymous();
      SecretsApiClient revoked = f.revokedAdminKey();
      SecretsApiClient lacking = s.accountWith("events:read");
      SecretsApiClient lackingEvents = s.accountWith("audit:read");
      SecretsApiClient other =
          s.accountWith(
              "secrets:read",
              "secrets:write",
              "tokens:issue",
              "tokens:revoke",
              "audit:read",
              "events:read",
              "policies:write");

      for (RouteSpec r : routes) {
        String label = r.method() + " " + r.path();
        Other rule = ROUTES.get(label);
        if (rule == Other.PUBLIC) {
          assertThat(audited(s, r, f.call(none, r)).status())
              .as(label + " without key")
              .isEqualTo(200);
          continue;
        }
        if (rule == Other.PROXY) {
          // A scoped token in Authorization; the valid case, with an upstream, is ProxyHttpTest.
          for (String tok : List.of("", f.revokedToken(), forge(f.newToken()), s.rootKey())) {
            Response r0 =
                audited(
                    s,
                    r,
                    (tok.isEmpty() ? s.anonymous() : s.anonymous().withKey(tok))
                        .send(r.method(), "/proxy/api.openai.com/v1/models", null, null));
            assertThat(r0.status())
                .as(label + " with " + (tok.isEmpty() ? "no token" : "a bad token"))
                .isEqualTo(401);
          }
          continue;
        }
        if (rule == Other.TOKEN) {
          assertThat(audited(s, r, f.callWithToken(null, r)).status())
              .as(label + " without token")
              .isEqualTo(401);
          assertThat(audited(s, r, f.callWithToken(f.revokedToken(), r)).status())
              .as(label + " with a revoked token")
              .isEqualTo(401);
          assertThat(audited(s, r, f.callWithToken(forge(f.newToken()), r)).status())
              .as(label + " forged")
              .isEqualTo(401);
          Response ok = audited(s, r, f.callWithToken(f.newToken(), r));
          assertThat(ok.status()).as(label + " with a valid token: " + ok.body()).isEqualTo(200);
          continue;
        }
        Response anonymous = audited(s, r, f.call(none, r));
        assertThat(anonymous.status()).as(label + " without key").isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
        assertThat(audited(s, r, f.call(revoked, r)).status())
            .as(label + " with a revoked key")
            .isEqualTo(401);
        assertThat(
                audited(s, r, f.call(none.withKey("sk_aaaaaaaaaaaaaaaa_" + "A".repeat(43)), r))
                    .status())
            .as(label + " with an unknown key")
            .isEqualTo(401);

        if (r.scope().isPresent()) {
          Response denied =
              audited(
                  s, r, f.call(r.scope().get() == Scope.EVENTS_READ ? lackingEvents : lacking, r));
          assertThat(denied.status()).as(label + " with a key lacking the scope").isEqualTo(403);
          assertThat(JSON.readTree(denied.body()).get("required_scope").asString())
              .isEqualTo(r.scope().get().wire());
        }

        Response byOther = audited(s, r, f.call(other, r));
        switch (rule) {
          case HIDDEN ->
              assertThat(byOther.status()).as(label + " by another account").isEqualTo(404);
          case NEEDS_PRIVILEGE ->
              assertThat(byOther.status()).as(label + " by another account").isEqualTo(403);
          case OWN -> assertThat(byOther.status()).as(label + " by another account").isEqualTo(201);
          case SCOPE_ONLY ->
              assertThat(byOther.status())
                  .as(label + " by another account: " + byOther.body())
                  .isEqualTo(r.status());
          case POLICY -> {
            assertThat(byOther.status()).as(label + " by another account").isEqualTo(403);
            assertThat(byOther.body()).contains("policy-denied");
          }
          case FILTERED -> {
            assertThat(byOther.status()).as(label + " by another account").isEqualTo(200);
            assertThat(byOther.body())
                .as(label + " by another account")
                .doesNotContain(f.rootAccountId)
                .doesNotContain(f.rootSecretId)
                .doesNotContain(f.rootKeyId);
          }
          case UNKNOWN_TO_OTHER -> {
            assertThat(byOther.status()).as(label + " by another account").isEqualTo(400);
            assertThat(byOther.body()).contains("\"rule\":\"exists\"");
          }
          default -> throw new IllegalStateException(label);
        }

        Response ok = audited(s, r, f.call(s.root(), r));
        assertThat(ok.status())
            .as(label + " with the right key: " + ok.body())
            .isEqualTo(r.status());
      }
      assertThat(s.root().getSecret(f.rootSecretId).get("status").asString()).isEqualTo("active");
    }
  }

  /**
   * Every answer of an audited route left at least one durable record naming its request id and
   * route; a refused authentication is an {@code auth.fail} record with the presented credential
   * only as its keyed hash, or, for a genuine token that expired or was revoked, a refused use of
   * that token.
   */
  static Response audited(TestServer s, RouteSpec r, Response answer) {
    String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
    List<String> records =
        s.server()
            .database()
            .read(
                h ->
                    h.createQuery("SELECT record FROM audit_records WHERE request_id = :r")
                        .bind("r", requestId)
                        .mapTo(String.class)
                        .list());
    String label = r.method() + " " + r.path();
    if (!r.audited()) {
      assertThat(records).as(label + " is not audited").isEmpty();
      return answer;
    }
    assertThat(records).as(label + " answered " + answer.status() + " wrote a record").isNotEmpty();
    assertThat(records).anyMatch(x -> x.contains("\"route\":\"" + label + "\""));
    if (answer.status() == 401) {
      // A genuine token refused for its time or a revocation is recorded as a refused use of it.
      assertThat(records)
          .anyMatch(
              x ->
                  x.contains("\"type\":\"auth.fail\"")
                      || x.contains("\"type\":\"token.") && x.contains("\"decision\":\"deny\""))
          .noneMatch(x -> x.contains("sk_aaaaaaaaaaaaaaaa_"));
    }
    return answer;
  }

  /** The token with one character of its signature changed to another. */
  static String forge(String token) {
    int i = token.length() - 20;
    char c = token.charAt(i) == 'A' ? 'B' : 'A';
    return token.substring(0, i) + c + token.substring(i + 1);
  }
}
