package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/** Objects owned by the root account, made fresh for each call that may change them. */
final class MatrixFixture {
  static final String ROOT_POLICY =
      "rules:\n  - id: root-all\n    effect: allow\n    principals: [root]\n    operations: ['*']\n";
  final TestServer s;
  final String rootAccountId;
  final String rootSecretId;
  final String rootKeyId;
  final AtomicInteger n = new AtomicInteger();
  private SecretsApiClient requester;

  static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  MatrixFixture(TestServer s) {
    this.s = s;
    Response policy =
        s.root().send("PUT", "/policies/KEY-SCOPE-17", ROOT_POLICY, "application/yaml");
    assertThat(policy.status()).as(policy.body()).isEqualTo(200);
    this.rootSecretId = newSecret();
    JsonNode keys = s.root().listApiKeys(java.util.Optional.empty());
    this.rootKeyId = keys.get("items").get(0).get("id").asString();
    this.rootAccountId = keys.get("items").get(0).get("service_account_id").asString();
  }

  String newSecret() {
    int i = n.incrementAndGet();
    String id =
        s.root()
            .createSecret(
                Map.of(
                    "name",
                    "s-" + i,
                    "provider",
                    "openai",
                    "resource_class",
                    "model-access",
                    "environment",
                    "production",
                    "value",
                    "value-abcdefghij-" + i))
            .get("id")
            .asString();
    Response scope =
        s.root()
            .send(
                "POST",
                "/secrets/" + id + "/scope",
                "{\"name\":\"model-access\",\"operations\":[\"reveal\",\"derive\"],\"max_ttl\":\"15m\"}",
                "application/json");
    assertThat(scope.status()).as(scope.body()).isEqualTo(201);
    return id;
  }

  String newRootKey() {
    return s.root()
        .createApiKey(Map.of("name", "k-" + n.incrementAndGet(), "scopes", List.of("secrets:read")))
        .get("id")
        .asString();
  }

  JsonNode issued() {
    return s.root()
        .call(
            "POST",
            "/tokens/issue",
            Map.of(
                "secret_id",
                rootSecretId,
                "scope",
                "model-access",
                "ttl",
                "10m",
                "environment",
                "production"));
  }

  String newToken() {
    return issued().get("token").asString();
  }

  String newWebhook() {
    return s.root()
        .call(
            "POST",
            "/webhooks",
            Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("policy")))
        .get("id")
        .asString();
  }

  /** A rotation of a new root secret, queued through the engine. */
  String newRotation() {
    String id = newSecret();
    s.root()
        .call("PUT", "/secrets/" + id + "/rotation", Map.of("rotator", "generated", "grace", "0s"));
    return s.root()
        .call("POST", "/secrets/" + id + "/rotate", Map.of("reason", "matrix"))
        .get("rotation_id")
        .asString();
  }

  String newIncident() {
    return s.root()
        .call("POST", "/incidents", Map.of("secret_id", newSecret(), "reason", "matrix"))
        .get("id")
        .asString();
  }

  /**
   * A pending approval of an issue that principal {@code approval-requester} asked for, which the
   * root principal may decide (design 0030).
   */
  String newApproval() {
    if (requester == null) {
      String sa =
          s.root().createServiceAccount("approval-requester", "matrix").get("id").asString();
      requester =
          s.root()
              .withKey(
                  s.root()
                      .createApiKey(
                          Map.of(
                              "service_account_id",
                              sa,
                              "name",
                              "requester",
                              "scopes",
                              List.of("tokens:issue")))
                      .get("key")
                      .asString());
      Response p =
          s.root()
              .send(
                  "PUT",
                  "/policies/APPROVALS",
                  "rules:\n  - id: approve-issue\n    effect: approve\n"
                      + "    principals: [approval-requester]\n    operations: [issue]\n"
                      + "    approvers: [root]\n",
                  "application/yaml");
      assertThat(p.status()).as(p.body()).isEqualTo(200);
    }
    Response r =
        requester.send(
            "POST",
            "/tokens/issue",
            "{\"secret_id\":\""
                + rootSecretId
                + "\",\"scope\":\"model-access\",\"ttl\":\"5m\",\"environment\":\"production\"}",
            "application/json");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return JSON.readTree(r.body()).get("approval_id").asString();
  }

  /** A trust zone set by the root key. */
  String newZone() {
    String name = "zone-" + n.incrementAndGet();
    s.root()
        .call(
            "PUT",
            "/topology/zones/" + name,
            Map.of("description", "matrix", "resources", List.of("api.openai.com")));
    return name;
  }

  /** A service package of the root key bundling the root secret's scope. */
  String newPackage() {
    return s.root().call("POST", "/packages", packageBody()).get("id").asString();
  }

  Map<String, Object> packageBody() {
    return Map.of(
        "name",
        "package-" + n.incrementAndGet(),
        "items",
        List.of(Map.of("secret_id", rootSecretId, "scope", "model-access")));
  }

  /** An engine of the root key, run by the root account. */
  String newEngine() {
    return s.root()
        .call(
            "POST",
            "/engines",
            Map.of("name", "engine-" + n.incrementAndGet(), "service_account_id", rootAccountId))
        .get("id")
        .asString();
  }

  /** An engine with a package bound: its path {@code /engines/{id}/bindings/{package_id}}. */
  String newBinding() {
    String engine = newEngine();
    String pkg = newPackage();
    s.root().call("POST", "/engines/" + engine + "/bindings", Map.of("package_id", pkg));
    return "/engines/" + engine + "/bindings/" + pkg;
  }

  String revokedToken() {
    JsonNode t = issued();
    s.root().call("POST", "/access/revoke", Map.of("token_id", t.get("token_id").asString()));
    return t.get("token").asString();
  }

  SecretsApiClient revokedAdminKey() {
    JsonNode k = s.root().createApiKey(Map.of("name", "to-revoke", "scopes", List.of("admin")));
    s.root().revokeApiKey(k.get("id").asString());
    return s.root().withKey(k.get("key").asString());
  }

  Response callWithToken(String token, RouteSpec r) {
    String body;
    if (token == null) {
      body = r.path().endsWith("derive") ? "{\"ttl\":\"1m\"}" : "{}";
    } else if (r.path().endsWith("derive")) {
      body = "{\"token\":\"" + token + "\",\"ttl\":\"1m\"}";
    } else {
      body = "{\"token\":\"" + token + "\"}";
    }
    return s.anonymous().send(r.method(), r.path(), body, "application/json");
  }

  Response call(SecretsApiClient c, RouteSpec r) {
    String path = r.path();
    if (path.equals("/secrets/{id}/scopes/{name}")) {
      path = "/secrets/" + newSecret() + "/scopes/model-access";
    } else if (path.startsWith("/tokens/{id}")) {
      path = path.replace("{id}", issued().get("token_id").asString());
    } else if (path.equals("/audit/proof/inclusion")) {
      path = path + "?offset=1&tree_size=2";
    } else if (path.equals("/audit/proof/consistency")) {
      path = path + "?from=1&to=2";
    } else if (path.startsWith("/policies/{id}")) {
      path = path.replace("{id}", "KEY-SCOPE-17") + (path.endsWith("/diff") ? "?from=1&to=1" : "");
    } else if (path.startsWith("/service-accounts/{id}")) {
      path =
          path.replace(
              "{id}",
              s.root()
                  .createServiceAccount("sa-x-" + n.incrementAndGet(), "")
                  .get("id")
                  .asString());
    } else if (path.startsWith("/approvals/{id}")) {
      path = path.replace("{id}", newApproval());
    } else if (path.startsWith("/incidents/{id}")) {
      path = path.replace("{id}", newIncident());
    } else if (path.startsWith("/webhooks/{id}")) {
      path = path.replace("{id}", newWebhook());
    } else if (path.equals("/topology/zones/{name}")) {
      path = path.replace("{name}", r.method().equals("DELETE") ? newZone() : "zone-" + n.get());
    } else if (path.equals("/engines/{id}/bindings/{package_id}")) {
      path = newBinding();
    } else if (path.startsWith("/engines/{id}")) {
      path = path.replace("{id}", newEngine());
    } else if (path.startsWith("/packages/{id}")) {
      path = path.replace("{id}", newPackage());
    } else if (path.startsWith("/rotations/{id}")) {
      path = path.replace("{id}", newRotation());
    } else if (path.contains("{id}")) {
      path = path.replace("{id}", path.startsWith("/secrets") ? newSecret() : newRootKey());
    }
    if (r.path().equals("/access/events")) {
      return c.send("GET", path, null, null, Map.of("Accept", "application/json"));
    }
    if (r.method().equals("PUT") && r.path().startsWith("/policies")) {
      return c.send("PUT", path, ROOT_POLICY, "application/yaml");
    }
    return c.send(r.method(), path, body(r), "application/json");
  }

  String body(RouteSpec r) {
    int i = n.incrementAndGet();
    return switch (r.method() + " " + r.path()) {
      case "POST /secrets" ->
          "{\"name\":\"m-"
              + i
              + "\",\"provider\":\"openai\",\"resource_class\":\"model-access\","
              + "\"environment\":\"production\",\"value\":\"matrix-value-"
              + i
              + "-abcdefgh\"}";
      case "PUT /secrets/{id}/value" -> "{\"value\":\"new-value-" + i + "-abcdefghij\"}";
      case "PUT /secrets/{id}/injection" -> "{\"in\":\"header\",\"name\":\"api-key\"}";
      case "PUT /secrets/{id}/validation-endpoint" -> "{\"url\":\"https://check.example/ping\"}";
      case "POST /secrets/{id}/rotate" ->
          "{\"value\":\"rotated-" + i + "-abcdefghij\",\"grace\":\"1m\"}";
      case "PUT /secrets/{id}/rotation" -> "{\"rotator\":\"generated\",\"length\":24}";
      case "POST /webhooks" -> "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"grant\"]}";
      case "POST /incidents" -> "{\"secret_id\":\"" + newSecret() + "\",\"reason\":\"matrix\"}";
      case "POST /incidents/{id}/close" -> "{\"note\":\"matrix\"}";
      case "POST /approvals/{id}/approve", "POST /approvals/{id}/deny" -> "{\"reason\":\"matrix\"}";
      case "POST /service-accounts" -> "{\"name\":\"sa-" + i + "\"}";
      case "POST /api-keys" -> "{\"name\":\"k-" + i + "\",\"scopes\":[\"secrets:read\"]}";
      case "POST /secrets/{id}/scope" ->
          "{\"name\":\"narrow-" + i + "\",\"operations\":[\"reveal\"]}";
      case "POST /tokens/issue" ->
          "{\"secret_id\":\""
              + rootSecretId
              + "\",\"scope\":\"model-access\","
              + "\"ttl\":\"5m\",\"environment\":\"production\"}";
      case "PUT /topology/zones/{name}" ->
          "{\"description\":\"matrix\",\"resources\":[\"api.openai.com\"]}";
      case "POST /packages", "PUT /packages/{id}" ->
          AuthorizationMatrixTest.JSON.writeValueAsString(packageBody());
      case "POST /engines" ->
          "{\"name\":\"engine-"
              + i
              + "\",\"plan\":\"SaaS Growth Plan\",\"service_account_id\":\""
              + rootAccountId
              + "\"}";
      case "POST /engines/{id}/bindings" -> "{\"package_id\":\"" + newPackage() + "\"}";
      case "PATCH /engines/{id}" -> "{\"webhook_id\":\"\"}";
      case "PUT /exposure/thresholds" ->
          "{\"target_kind\":\"resource_class\",\"target\":\"model-access\",\"threshold\":0.9}";
      case "POST /tokens/introspect" -> "{\"token\":\"" + newToken() + "\"}";
      case "POST /access/revoke" ->
          "{\"token_id\":\"" + issued().get("token_id").asString() + "\"}";
      case "POST /policies/test" ->
          "{\"principal\":\"root\",\"operation\":\"issue\",\"secret_id\":\"" + rootSecretId + "\"}";
      default -> null;
    };
  }
}
