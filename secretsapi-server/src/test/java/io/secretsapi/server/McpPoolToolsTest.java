package io.secretsapi.server;

import static io.secretsapi.server.McpEndpointTest.CLIENT;
import static io.secretsapi.server.McpEndpointTest.JSON;
import static io.secretsapi.server.McpEndpointTest.client;
import static io.secretsapi.server.McpEndpointTest.keyWith;
import static io.secretsapi.server.McpEndpointTest.names;
import static io.secretsapi.server.McpEndpointTest.structured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The MCP endpoint's provisioning tools, driven by the MCP Java SDK's client: the pool's packages
 * are listed with their posture, a package is attached to an engine (its key may then issue exactly
 * the package's scope) and detached (nothing, and its live grant revoked), each call recorded with
 * the client's name; a key without the scopes is offered none of them and changes nothing when it
 * calls one anyway; no tool takes or gives a secret's value.
 */
class McpPoolToolsTest {
  static final String CANARY = "sk_live_CANARY-pool-7c1e9a2b";

  private record Setting(String secret, String pkg, String engine, SecretsApiClient engineKey) {}

  private static Setting setting(TestServer s) {
    SecretsApiClient root = s.root();
    String secret =
        root.createSecret(
                Map.of(
                    "name", "stripe-billing",
                    "provider", "stripe",
                    "resource_class", "billing",
                    "environment", "production",
                    "value", CANARY))
            .get("id")
            .asString();
    for (String scope : List.of("invoice-sync", "refunds")) {
      Response r =
          root.send(
              "POST",
              "/secrets/" + secret + "/scope",
              "{\"name\":\"" + scope + "\",\"operations\":[\"reveal\"],\"max_ttl\":\"15m\"}",
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
    String pkg =
        root.call(
                "POST",
                "/packages",
                Map.of(
                    "name", "Stripe + Cloudflare + Internal analytics",
                    "tier", "SaaS storefront / Stable",
                    "review_lane", "Finance review bundle",
                    "items", List.of(Map.of("secret_id", secret, "scope", "invoice-sync"))))
            .get("id")
            .asString();
    String engine =
        root.call(
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
                    sa))
            .get("id")
            .asString();
    return new Setting(secret, pkg, engine, root.withKey(key));
  }

  private static Response issue(Setting t, String scope) {
    return t.engineKey.send(
        "POST",
        "/tokens/issue",
        "{\"secret_id\":\""
            + t.secret
            + "\",\"scope\":\""
            + scope
            + "\",\"ttl\":\"5m\",\"environment\":\"production\"}",
        "application/json");
  }

  private static McpSchema.CallToolResult call(
      McpSyncClient mcp, String tool, Map<String, Object> args) {
    return mcp.callTool(new McpSchema.CallToolRequest(tool, args));
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void provisioningTools_attachThenDetach_engineIssuesExactlyThePackageScopeThenNothing(
      TestStore store) throws Exception {
    try (TestServer s = TestServer.start(store);
        McpSyncClient mcp = client(s, s.rootKey())) {
      Setting t = setting(s);
      mcp.initialize();
      assertThat(names(mcp.listTools()))
          .contains("list_packages", "list_engines", "attach_package", "detach_package");

      McpSchema.CallToolResult pool = call(mcp, "list_packages", Map.of());
      String poolJson = JSON.writeValueAsString(pool);
      assertThat(pool.isError()).as(poolJson).isFalse();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> items = (List<Map<String, Object>>) structured(pool).get("items");
      assertThat(items).extracting(p -> p.get("id")).containsExactly(t.pkg);
      assertThat(poolJson).contains("invoice-sync").contains("posture");
      assertThat(issue(t, "invoice-sync").status()).isEqualTo(403);

      McpSchema.CallToolResult attached =
          call(mcp, "attach_package", Map.of("engine_id", t.engine, "package_id", t.pkg));
      assertThat(attached.isError()).as(JSON.writeValueAsString(attached)).isFalse();
      assertThat(JSON.writeValueAsString(structured(attached))).contains(t.pkg);
      Response ok = issue(t, "invoice-sync");
      assertThat(ok.status()).as(ok.body()).isEqualTo(200);
      String tokenId = JSON.readTree(ok.body()).get("token_id").asString();
      assertThat(issue(t, "refunds").status()).isEqualTo(403);
      McpSchema.CallToolResult engines = call(mcp, "list_engines", Map.of());
      assertThat(JSON.writeValueAsString(engines)).contains(t.engine).contains(t.pkg);

      McpSchema.CallToolResult detached =
          call(mcp, "detach_package", Map.of("engine_id", t.engine, "package_id", t.pkg));
      assertThat(detached.isError()).as(JSON.writeValueAsString(detached)).isFalse();
      assertThat(issue(t, "invoice-sync").status()).isEqualTo(403);
      assertThat(s.root().call("GET", "/tokens/" + tokenId, null).get("status").asString())
          .isEqualTo("revoked");

      List<String> records = s.auditRecords();
      assertThat(records)
          .anyMatch(
              r ->
                  r.contains("\"type\":\"engine.bind\"")
                      && r.contains("tools/call attach_package (client " + CLIENT + ")"));
      assertThat(records)
          .anyMatch(
              r ->
                  r.contains("\"type\":\"engine.unbind\"")
                      && r.contains("tools/call detach_package (client " + CLIENT + ")"));
      assertThat(records).noneMatch(r -> r.contains(CANARY));
      assertThat(poolJson + JSON.writeValueAsString(engines)).doesNotContain(CANARY);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void attachPackage_keyWithoutPoliciesWrite_notOfferedRefusedAndNothingBound(TestStore store) {
    try (TestServer s = TestServer.start(store);
        McpSyncClient mcp = client(s, keyWith(s, "agent-reader", "secrets:read", "tokens:issue"))) {
      Setting t = setting(s);
      mcp.initialize();
      assertThat(names(mcp.listTools()))
          .contains("list_packages", "list_engines")
          .doesNotContain("attach_package", "detach_package");

      assertThatThrownBy(
              () -> call(mcp, "attach_package", Map.of("engine_id", t.engine, "package_id", t.pkg)))
          .isInstanceOf(McpError.class)
          .hasMessageContaining("policies:write");

      JsonNode engine = s.root().call("GET", "/engines/" + t.engine, null);
      assertThat(engine.get("bindings")).isEmpty();
      assertThat(issue(t, "invoice-sync").status()).isEqualTo(403);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void attachPackage_unknownPackage_problemNamingPackageIdAndNothingBound(TestStore store)
      throws Exception {
    try (TestServer s = TestServer.start(store);
        McpSyncClient mcp = client(s, s.rootKey())) {
      Setting t = setting(s);
      mcp.initialize();

      McpSchema.CallToolResult r =
          call(
              mcp,
              "attach_package",
              Map.of("engine_id", t.engine, "package_id", "pkg_000000000000000000"));
      String answer = JSON.writeValueAsString(r);
      assertThat(r.isError()).as(answer).isTrue();
      assertThat(answer).contains("package_id");

      McpSchema.CallToolResult missing = call(mcp, "detach_package", Map.of("engine_id", t.engine));
      assertThat(missing.isError()).isTrue();
      assertThat(JSON.writeValueAsString(missing)).contains("package_id");

      assertThat(s.root().call("GET", "/engines/" + t.engine, null).get("bindings")).isEmpty();
      assertThat(s.root().send("GET", "/policies/engine-" + t.engine, null, null).status())
          .isEqualTo(404);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void toolsList_everyTool_takesNoValueAndNoneWritesASecretOrPackage(TestStore store) {
    try (TestServer s = TestServer.start(store);
        McpSyncClient mcp = client(s, s.rootKey())) {
      mcp.initialize();
      List<McpSchema.Tool> tools = mcp.listTools().tools();
      assertThat(tools).hasSize(9);
      for (McpSchema.Tool tool : tools) {
        @SuppressWarnings("unchecked")
        Map<String, Object> properties =
            (Map<String, Object>) tool.inputSchema().getOrDefault("properties", Map.of());
        assertThat(properties.keySet())
            .as(tool.name())
            .doesNotContain("value", "secret_value", "items");
        assertThat(tool.name())
            .doesNotContain("secret_value", "reveal", "create", "update", "delete", "put");
      }
    }
  }
}
