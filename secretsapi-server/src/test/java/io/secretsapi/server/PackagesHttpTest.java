package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 22 over HTTP: a package bound to an engine lets the engine's key issue exactly its scope,
 * unbinding refuses it and revokes the live grant; a validation run against a loopback stand-in of
 * the provider turns the posture to Review naming the secret; bad input on each write route is a
 * problem naming the field and changes nothing.
 */
class PackagesHttpTest {
  private record Setting(
      TestServer s, SecretsApiClient engineKey, String engineSa, String secret, String other) {}

  private static Setting setting(TestServer s) {
    SecretsApiClient root = s.root();
    String secret = ValidationHttpTest.secret(root, "stripe", ValidationHttpTest.GOOD);
    String other = ValidationHttpTest.secret(root, "openai", ValidationHttpTest.GOOD);
    for (String[] sc :
        List.of(
            new String[] {secret, "invoice-sync"},
            new String[] {secret, "refunds"},
            new String[] {other, "model-access"})) {
      Response r =
          root.send(
              "POST",
              "/secrets/" + sc[0] + "/scope",
              "{\"name\":\"" + sc[1] + "\",\"operations\":[\"reveal\"],\"max_ttl\":\"15m\"}",
              "application/json");
      assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
    String sa =
        root.createServiceAccount("pod-engine-alpha", "POD Engine Alpha").get("id").asString();
    String key =
        root.createApiKey(
                Map.of(
                    "service_account_id", sa, "name", "engine", "scopes", List.of("tokens:issue")))
            .get("key")
            .asString();
    return new Setting(s, root.withKey(key), sa, secret, other);
  }

  private static Response issue(Setting t, String secret, String scope) {
    return t.engineKey.send(
        "POST",
        "/tokens/issue",
        "{\"secret_id\":\""
            + secret
            + "\",\"scope\":\""
            + scope
            + "\",\"ttl\":\"5m\",\"environment\":\"production\"}",
        "application/json");
  }

  private static JsonNode dryRun(Setting t, String scope) {
    return t.s
        .root()
        .call(
            "POST",
            "/policies/test",
            Map.of(
                "principal",
                "pod-engine-alpha",
                "service_account_id",
                t.engineSa,
                "operation",
                "issue",
                "secret_id",
                t.secret,
                "ttl",
                "5m",
                "environment",
                "production",
                "scope",
                scope));
  }

  private static String newPackage(Setting t) {
    return t.s
        .root()
        .call(
            "POST",
            "/packages",
            Map.of(
                "name",
                "Stripe + Cloudflare + Internal analytics",
                "tier",
                "SaaS storefront / Stable",
                "review_lane",
                "Finance review bundle",
                "items",
                List.of(Map.of("secret_id", t.secret, "scope", "invoice-sync"))))
        .get("id")
        .asString();
  }

  private static String newEngine(Setting t) {
    return t.s
        .root()
        .call(
            "POST",
            "/engines",
            Map.of(
                "name",
                "POD Engine Alpha",
                "plan",
                "SaaS Growth Plan",
                "placement",
                "prod-node-01",
                "slots_used",
                3,
                "slots_total",
                6,
                "service_account_id",
                t.engineSa))
        .get("id")
        .asString();
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void bindThenUnbind_engineKey_issuesExactlyThePackageScopeThenNothing(TestStore store)
      throws Exception {
    try (ValidationHttpTest.Providers p = new ValidationHttpTest.Providers();
        TestServer s = ValidationHttpTest.server(store, p, "90d")) {
      Setting t = setting(s);
      String pkg = newPackage(t);
      String eng = newEngine(t);
      assertThat(issue(t, t.secret, "invoice-sync").status()).isEqualTo(403);

      Response bound =
          s.root()
              .send(
                  "POST",
                  "/engines/" + eng + "/bindings",
                  "{\"package_id\":\"" + pkg + "\"}",
                  "application/json");
      assertThat(bound.status()).as(bound.body()).isEqualTo(201);

      Response ok = issue(t, t.secret, "invoice-sync");
      assertThat(ok.status()).as(ok.body()).isEqualTo(200);
      String tokenId = ValidationHttpTest.JSON.readTree(ok.body()).get("token_id").asString();
      assertThat(issue(t, t.secret, "refunds").status()).isEqualTo(403);
      assertThat(issue(t, t.other, "model-access").status()).isEqualTo(403);
      // the dry run decides by the scope asked for, as issuance does
      assertThat(dryRun(t, "invoice-sync").get("decision").asString()).isEqualTo("allow");
      assertThat(dryRun(t, "refunds").get("decision").asString()).isEqualTo("deny");
      Response badScope =
          s.root()
              .send(
                  "POST",
                  "/policies/test",
                  "{\"principal\":\"pod-engine-alpha\",\"operation\":\"issue\",\"secret_id\":\""
                      + t.secret
                      + "\",\"scope\":\"not a scope!\"}",
                  "application/json");
      assertThat(badScope.status()).isEqualTo(400);
      assertThat(ValidationHttpTest.JSON.readTree(badScope.body()).get("field").asString())
          .isEqualTo("scope");
      JsonNode vault = s.root().call("GET", "/engines/" + eng + "/credentials", null);
      assertThat(vault.get("items")).hasSize(1);
      assertThat(vault.get("items").get(0).get("provider").asString()).isEqualTo("stripe");
      assertThat(vault.toString()).doesNotContain(ValidationHttpTest.GOOD);

      Response unbound =
          s.root().send("DELETE", "/engines/" + eng + "/bindings/" + pkg, null, null);
      assertThat(unbound.status()).as(unbound.body()).isEqualTo(200);

      assertThat(issue(t, t.secret, "invoice-sync").status()).isEqualTo(403);
      assertThat(s.root().call("GET", "/tokens/" + tokenId, null).get("status").asString())
          .isEqualTo("revoked");
      JsonNode diff = s.root().call("GET", "/policies/engine-" + eng + "/diff?from=1&to=2", null);
      assertThat(diff.toString()).contains("invoice-sync");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void posture_oneFailedValidationRun_reviewNamingTheSecret(TestStore store) throws Exception {
    try (ValidationHttpTest.Providers p = new ValidationHttpTest.Providers();
        TestServer s = ValidationHttpTest.server(store, p, "90d")) {
      Setting t = setting(s);
      String pkg = newPackage(t);
      ValidationHttpTest.validate(s.root(), t.secret, Map.of());
      assertThat(posture(s, pkg).get("state").asString()).isEqualTo("Ready");

      s.root()
          .call(
              "PUT",
              "/secrets/" + t.secret + "/value",
              Map.of("value", "revoked-by-provider-0123"));
      JsonNode run = ValidationHttpTest.validate(s.root(), t.secret, Map.of());
      assertThat(run.get("status").asString()).isEqualTo("validation failed");

      JsonNode review = posture(s, pkg);
      assertThat(review.get("state").asString()).isEqualTo("Review");
      assertThat(review.get("reasons").get(0).get("secret_id").asString()).isEqualTo(t.secret);
      assertThat(review.get("reasons").get(0).get("why").asString()).contains("validation failed");
      assertThat(review.toString()).doesNotContain("revoked-by-provider-0123");
    }
  }

  private static JsonNode posture(TestServer s, String pkg) {
    return s.root().call("GET", "/packages/" + pkg, null).get("posture");
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void badInput_eachWriteRoute_problemNamingTheFieldAndNothingChanged(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      Setting t = setting(s);
      String pkg = newPackage(t);
      String eng = newEngine(t);
      String packagesBefore = s.root().call("GET", "/packages", null).toString();
      String enginesBefore = s.root().call("GET", "/engines", null).toString();
      String[][] cases = {
        {"POST", "/packages", "{\"items\":[]}", "name"},
        {"POST", "/packages", "{\"name\":\"x\",\"items\":[]}", "items"},
        {
          "POST",
          "/packages",
          "{\"name\":\"x\",\"items\":[{\"secret_id\":\"" + t.secret + "\",\"scope\":\"nope\"}]}",
          "items[0].scope"
        },
        {
          "POST",
          "/packages",
          "{\"name\":\"x\",\"items\":[{\"secret_id\":\"sec_nope\",\"scope\":\"a\"}]}",
          "items[0].secret_id"
        },
        {"POST", "/packages", "{\"name\":\"x\",\"items\":[],\"colour\":\"red\"}", "colour"},
        {"PUT", "/packages/" + pkg, "{\"name\":\"x\",\"items\":[]}", "items"},
        {
          "POST",
          "/engines",
          "{\"name\":\"e\",\"service_account_id\":\"sa_nope\"}",
          "service_account_id"
        },
        {
          "POST",
          "/engines",
          "{\"name\":\"e\",\"slots_used\":7,\"slots_total\":6,\"service_account_id\":\""
              + t.engineSa
              + "\"}",
          "slots_used"
        },
        {"POST", "/engines", "{\"service_account_id\":\"" + t.engineSa + "\"}", "name"},
        {"POST", "/engines/" + eng + "/bindings", "{}", "package_id"},
        {"POST", "/engines/" + eng + "/bindings", "{\"package_id\":\"pkg_nope\"}", "package_id"},
      };
      for (String[] c : cases) {
        Response r = s.root().send(c[0], c[1], c[2], "application/json");
        assertThat(r.status()).as(c[0] + " " + c[1] + " " + c[2] + ": " + r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(ValidationHttpTest.JSON.readTree(r.body()).get("field").asString())
            .as(c[2])
            .isEqualTo(c[3]);
      }
      assertThat(s.root().call("GET", "/packages", null).toString()).isEqualTo(packagesBefore);
      assertThat(s.root().call("GET", "/engines", null).toString()).isEqualTo(enginesBefore);
      assertThat(s.root().send("GET", "/policies/engine-" + eng, null, null).status())
          .isEqualTo(404);
    }
  }
}
