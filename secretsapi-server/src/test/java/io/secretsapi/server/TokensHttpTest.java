package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.RefusingAudit;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TokensHttpTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String POLICY =
      """
      id: KEY-SCOPE-17
      rules:
        - id: agents-model-access
          effect: allow
          principals: ["agent-runtime-*"]
          resources:
            resource_classes: [model-access]
          operations: [issue, derive, resolve, proxy]
      """;

  /** The source documents' world over HTTP: a secret, its scope, the policy and the agent. */
  record World(TestServer s, String secretId, SecretsApiClient agent) {
    static World make(TestServer s) {
      SecretsApiClient root = s.root();
      String id =
          root.createSecret(
                  Map.of(
                      "name",
                      "openai-prod-key",
                      "provider",
                      "openai",
                      "resource_class",
                      "model-access",
                      "environment",
                      "production",
                      "owner",
                      "AI Platform",
                      "value",
                      "sk-proj-CANARY-http-0123456789"))
              .get("id")
              .asString();
      Response scope =
          root.send(
              "POST",
              "/secrets/" + id + "/scope",
              JSON.writeValueAsString(
                  Map.of(
                      "name",
                      "model-access",
                      "operations",
                      List.of("proxy", "reveal", "derive"),
                      "upstream",
                      Map.of(
                          "hosts",
                          List.of("api.openai.com"),
                          "methods",
                          List.of("POST"),
                          "path_prefixes",
                          List.of("/v1")),
                      "max_ttl",
                      "15m")),
              "application/json");
      assertThat(scope.status()).as(scope.body()).isEqualTo(201);
      Response policy = root.send("PUT", "/policies/KEY-SCOPE-17", POLICY, "application/yaml");
      assertThat(policy.status()).as(policy.body()).isEqualTo(200);
      JsonNode account = root.createServiceAccount("agent-runtime-04", "agent runtime");
      String key =
          root.createApiKey(
                  Map.of(
                      "service_account_id",
                      account.get("id").asString(),
                      "name",
                      "runtime",
                      "scopes",
                      List.of("tokens:issue")))
              .get("key")
              .asString();
      return new World(s, id, root.withKey(key));
    }

    Response issueRaw() {
      return agent.send(
          "POST",
          "/tokens/issue",
          JSON.writeValueAsString(
              Map.of(
                  "secret_id",
                  secretId,
                  "scope",
                  "model-access",
                  "ttl",
                  "15m",
                  "environment",
                  "production")),
          "application/json");
    }

    JsonNode issue() {
      return agent.call(
          "POST",
          "/tokens/issue",
          Map.of(
              "secret_id",
              secretId,
              "scope",
              "model-access",
              "ttl",
              "15m",
              "requested_by",
              "agent-runtime-04",
              "environment",
              "production"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_sourceDocumentsExample_answersTheirFields(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      World w = World.make(s);
      JsonNode r = w.issue();
      assertThat(r.get("status").asString()).isEqualTo("scoped_token_issued");
      assertThat(r.get("token_id").asString()).startsWith("tok_");
      assertThat(r.get("expires_in").asString()).isEqualTo("15m");
      assertThat(r.get("policy").asString()).isEqualTo("verified");
      assertThat(r.get("audit_ref").asString()).matches("AU-[0-9]+");
      assertThat(r.get("token").asString().split("\\.")).hasSize(3);
      assertThat(r.get("expires_at").asString()).endsWith("Z");
      assertThat(r.get("scope").asString()).isEqualTo("model-access");
      assertThat(r.get("policy_ref").get("id").asString()).isEqualTo("KEY-SCOPE-17");
      assertThat(r.get("policy_ref").get("version").asInt()).isEqualTo(1);
      assertThat(r.get("policy_ref").get("rule").asString()).isEqualTo("agents-model-access");

      JsonNode info =
          w.agent().call("POST", "/tokens/introspect", Map.of("token", r.get("token").asString()));
      assertThat(info.get("active").asBoolean()).isTrue();
      assertThat(info.get("sub").asString()).isEqualTo("agent-runtime-04");
      Response form =
          w.agent()
              .send(
                  "POST",
                  "/tokens/introspect",
                  "token=" + r.get("token").asString(),
                  "application/x-www-form-urlencoded");
      assertThat(JSON.readTree(form.body()).get("active").asBoolean()).isTrue();

      SecretsApiClient holder = s.anonymous();
      JsonNode value =
          holder.call("POST", "/tokens/resolve", Map.of("token", r.get("token").asString()));
      assertThat(value.get("value").asString()).isEqualTo("sk-proj-CANARY-http-0123456789");

      JsonNode jwks = s.anonymous().call("GET", "/.well-known/jwks.json", null);
      assertThat(jwks.get("keys").get(0).get("crv").asString()).isEqualTo("Ed25519");
      assertThat(jwks.toString()).doesNotContain("\"d\"");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void revoke_overHttp_theVeryNextRequestIsRefused(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      World w = World.make(s);
      String token = w.issue().get("token").asString();
      JsonNode child =
          s.anonymous()
              .call(
                  "POST",
                  "/tokens/derive",
                  Map.of("token", token, "ttl", "5m", "operations", List.of("reveal")));
      assertThat(child.get("status").asString()).isEqualTo("derived_token_issued");
      JsonNode rev =
          s.root()
              .call(
                  "POST",
                  "/access/revoke",
                  Map.of(
                      "token_id",
                      JSON.readTree(
                              new String(
                                  java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1])))
                          .get("jti")
                          .asString()));
      assertThat(rev.get("revoked").asInt()).isEqualTo(2);
      assertThat(rev.get("audit_ref").asString()).startsWith("AU-");
      for (String t : List.of(token, child.get("token").asString())) {
        Response r =
            s.anonymous()
                .send(
                    "POST",
                    "/tokens/resolve",
                    JSON.writeValueAsString(Map.of("token", t)),
                    "application/json");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).contains("revoked");
        assertThat(w.agent().call("POST", "/tokens/introspect", Map.of("token", t)).toString())
            .isEqualTo("{\"active\":false}");
      }
      JsonNode lineage =
          s.root().call("GET", "/tokens/" + child.get("parent_id").asString() + "/lineage", null);
      assertThat(lineage.get("root").get("status").asString()).isEqualTo("revoked");
      assertThat(lineage.get("root").get("children").get(0).get("kind").asString())
          .isEqualTo("derived");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_refusedByPolicy_isA403NamingTheRuleAndAuditRef(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      World w = World.make(s);
      Response freeze =
          s.root()
              .send(
                  "PUT",
                  "/policies/FREEZE",
                  "{\"rules\":[{\"id\":\"freeze\",\"effect\":\"deny\",\"operations\":[\"issue\"]}]}",
                  "application/json");
      assertThat(freeze.status()).isEqualTo(200);
      Response r = w.issueRaw();
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.contentType()).startsWith("application/problem+json");
      JsonNode p = JSON.readTree(r.body());
      assertThat(p.get("type").asString()).endsWith("/policy-denied");
      assertThat(p.get("policy_ref").get("id").asString()).isEqualTo("FREEZE");
      assertThat(p.get("policy_ref").get("rule").asString()).isEqualTo("freeze");
      assertThat(p.get("audit_ref").asString()).startsWith("AU-");
      JsonNode dry =
          s.root()
              .call(
                  "POST",
                  "/policies/test",
                  Map.of(
                      "principal",
                      "agent-runtime-04",
                      "operation",
                      "issue",
                      "secret_id",
                      w.secretId(),
                      "ttl",
                      "5m"));
      assertThat(dry.get("decision").asString()).isEqualTo("deny");
      assertThat(dry.get("matched").size()).isEqualTo(2);
      JsonNode diff = s.root().call("GET", "/policies/FREEZE/diff?from=1&to=1", null);
      assertThat(diff.get("diff").get(0).asString()).startsWith("  ");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_auditStoreRefusesWrites_answers503AndIssuesNothing(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      World w = World.make(s);
      var db = s.server().database();
      RefusingAudit.install(db);
      Response r = w.issueRaw();
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.body()).contains("nothing was changed").doesNotContain("eyJ");
      long tokens =
          db.read(h -> h.createQuery("SELECT COUNT(*) FROM tokens").mapTo(Long.class).one());
      assertThat(tokens).isZero();
    }
  }
}
