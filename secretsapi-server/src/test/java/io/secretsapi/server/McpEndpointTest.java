package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP endpoint driven by the MCP Java SDK's own client over Streamable HTTP, against a real
 * broker on loopback and a loopback upstream: initialize, list tools, request a token, call the
 * upstream through the proxy, revoke; a key without a tool's scope does not see it and is refused
 * when it calls it anyway; the secret's value appears in no tool result, record or log line.
 */
class McpEndpointTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String CANARY = "sk-proj-CANARY-mcp-5e1d2c3b4a";
  static final String CLIENT = "secretsapi-mcp-test";

  /** A client of {@code /mcp} that sends {@code bearer} and names itself {@link #CLIENT}. */
  static McpSyncClient client(TestServer s, String bearer) {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(s.server().baseUrl())
            .endpoint("/mcp")
            .httpRequestCustomizer(
                (b, method, uri, body, ctx) ->
                    b.header("Authorization", "Bearer " + bearer).header("MCP-Client-Name", CLIENT))
            .build();
    return McpClient.sync(transport)
        .clientInfo(new McpSchema.Implementation(CLIENT, "1.0.0"))
        .requestTimeout(Duration.ofSeconds(30))
        .build();
  }

  /** The plaintext of a new key of a new account, holding exactly {@code scopes}. */
  static String keyWith(TestServer s, String name, String... scopes) {
    JsonNode account = s.root().createServiceAccount(name, "an agent");
    return s.root()
        .createApiKey(
            Map.of(
                "service_account_id",
                account.get("id").asString(),
                "name",
                "mcp",
                "scopes",
                List.of(scopes)))
        .get("key")
        .asString();
  }

  /** A secret holding {@link #CANARY} with a proxy scope on {@code host}; its id. */
  static String secret(SecretsApiClient root, String host) {
    String id =
        root.createSecret(
                Map.of(
                    "name", "mcp-openai",
                    "provider", "openai",
                    "resource_class", "model-access",
                    "environment", "production",
                    "value", CANARY))
            .get("id")
            .asString();
    Map<String, Object> scope = new HashMap<>();
    scope.put("name", "proxy");
    scope.put("operations", List.of("proxy", "derive"));
    scope.put(
        "upstream",
        Map.of(
            "hosts",
            List.of(host),
            "methods",
            List.of("POST", "GET"),
            "path_prefixes",
            List.of("/v1")));
    scope.put("max_ttl", "15m");
    var r =
        root.send(
            "POST",
            "/secrets/" + id + "/scope",
            JSON.writeValueAsString(scope),
            "application/json");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return id;
  }

  static Map<String, Object> structured(McpSchema.CallToolResult r) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) r.structuredContent();
    return m;
  }

  static List<String> names(McpSchema.ListToolsResult tools) {
    return tools.tools().stream().map(McpSchema.Tool::name).toList();
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void mcp_rootKey_requestsATokenCallsTheUpstreamAndRevokes(TestStore store) throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up);
        McpSyncClient mcp = client(s, s.rootKey())) {
      String secretId = secret(s.root(), up.host());
      List<String> results = new ArrayList<>();

      McpSchema.InitializeResult init = mcp.initialize();
      assertThat(init.serverInfo().name()).isEqualTo("secretsapi");
      assertThat(names(mcp.listTools()))
          .containsExactly(
              "request_token",
              "derive_token",
              "revoke_token",
              "list_grants",
              "call_upstream",
              "list_packages",
              "list_engines",
              "attach_package",
              "detach_package");

      McpSchema.CallToolResult issued =
          mcp.callTool(
              new McpSchema.CallToolRequest(
                  "request_token",
                  Map.of(
                      "secret_id", secretId,
                      "scope", "proxy",
                      "ttl", "5m",
                      "environment", "production")));
      results.add(JSON.writeValueAsString(issued));
      assertThat(issued.isError()).as(results.get(0)).isFalse();
      Map<String, Object> token = structured(issued);
      assertThat(token.get("status")).isEqualTo("scoped_token_issued");
      assertThat((String) token.get("audit_ref")).startsWith("AU-");

      McpSchema.CallToolResult called =
          mcp.callTool(
              new McpSchema.CallToolRequest(
                  "call_upstream",
                  Map.of(
                      "token",
                      token.get("token"),
                      "method",
                      "POST",
                      "host",
                      up.host(),
                      "path",
                      "/v1/chat/completions",
                      "headers",
                      Map.of("Content-Type", "application/json"),
                      "body",
                      "{\"model\":\"gpt-4o-mini\"}")));
      results.add(JSON.writeValueAsString(called));
      assertThat(called.isError()).as(results.get(1)).isFalse();
      Map<String, Object> answer = structured(called);
      // the loopback upstream echoes the credential it received in a 400: redacted on its way back
      assertThat(answer.get("status")).isEqualTo(400);
      assertThat(up.got.get(up.got.size() - 1).get("authorization")).isEqualTo("Bearer " + CANARY);
      assertThat(up.got.get(up.got.size() - 1).get(":body"))
          .isEqualTo("{\"model\":\"gpt-4o-mini\"}");

      McpSchema.CallToolResult grants =
          mcp.callTool(new McpSchema.CallToolRequest("list_grants", Map.of()));
      results.add(JSON.writeValueAsString(grants));
      assertThat(results.get(2)).contains((String) token.get("token_id"));

      McpSchema.CallToolResult revoked =
          mcp.callTool(
              new McpSchema.CallToolRequest(
                  "revoke_token", Map.of("token_id", token.get("token_id"), "reason", "done")));
      results.add(JSON.writeValueAsString(revoked));
      assertThat(structured(revoked).get("status")).isEqualTo("revoked");

      McpSchema.CallToolResult after =
          mcp.callTool(
              new McpSchema.CallToolRequest(
                  "call_upstream",
                  Map.of(
                      "token",
                      token.get("token"),
                      "method",
                      "GET",
                      "host",
                      up.host(),
                      "path",
                      "/v1/models")));
      results.add(JSON.writeValueAsString(after));
      assertThat(after.isError()).isTrue();
      assertThat(structured(after).get("status")).isEqualTo(401);

      assertThat(results).noneMatch(r -> r.contains(CANARY));
      List<String> records = s.auditRecords();
      assertThat(records).noneMatch(r -> r.contains(CANARY));
      assertThat(CapturingAppender.lines()).noneMatch(l -> l.contains(CANARY));
      assertThat(records)
          .anyMatch(
              r ->
                  r.contains("\"type\":\"token.issue\"")
                      && r.contains("POST /mcp tools/call request_token (client " + CLIENT + ")"));
      assertThat(records)
          .anyMatch(
              r ->
                  r.contains("\"type\":\"proxy.complete\"")
                      && r.contains("tools/call call_upstream (client " + CLIENT + ")"));
      assertThat(records).anyMatch(r -> r.contains("POST /mcp initialize (client " + CLIENT + ")"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void mcp_keyWithoutTheScope_seesNoSuchToolAndIsRefusedWhenItCallsIt(TestStore store) {
    try (TestServer s = TestServer.start(store);
        McpSyncClient mcp = client(s, keyWith(s, "agent-issuer", "tokens:issue"))) {
      mcp.initialize();
      assertThat(names(mcp.listTools()))
          .containsExactly("request_token", "derive_token", "call_upstream");

      assertThatThrownBy(
              () ->
                  mcp.callTool(
                      new McpSchema.CallToolRequest("revoke_token", Map.of("token_id", "tok_x"))))
          .isInstanceOf(McpError.class)
          .hasMessageContaining("tokens:revoke");
      assertThat(s.auditRecords())
          .anyMatch(
              r ->
                  r.contains("\"decision\":\"deny\"")
                      && r.contains("\"status\":403")
                      && r.contains("tools/call revoke_token"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void mcp_scopedTokenAsBearer_seesItsOperationsToolsAndDerivesAndCallsWithIt(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up)) {
      String secretId = secret(s.root(), up.host());
      String token =
          s.root()
              .call(
                  "POST",
                  "/tokens/issue",
                  Map.of(
                      "secret_id",
                      secretId,
                      "scope",
                      "proxy",
                      "ttl",
                      "5m",
                      "environment",
                      "production"))
              .get("token")
              .asString();
      try (McpSyncClient mcp = client(s, token)) {
        mcp.initialize();
        assertThat(names(mcp.listTools())).containsExactly("derive_token", "call_upstream");

        McpSchema.CallToolResult child =
            mcp.callTool(
                new McpSchema.CallToolRequest(
                    "derive_token", Map.of("operations", List.of("proxy"), "ttl", "1m")));
        assertThat(child.isError()).as(JSON.writeValueAsString(child)).isFalse();
        assertThat(structured(child).get("status")).isEqualTo("derived_token_issued");

        McpSchema.CallToolResult called =
            mcp.callTool(
                new McpSchema.CallToolRequest(
                    "call_upstream",
                    Map.of("method", "GET", "host", up.host(), "path", "/v1/models?limit=1")));
        String result = JSON.writeValueAsString(called);
        assertThat(called.isError()).as(result).isFalse();
        assertThat(up.got.get(up.got.size() - 1).get(":query")).isEqualTo("limit=1");
        assertThat(result).doesNotContain(CANARY);

        assertThatThrownBy(
                () ->
                    mcp.callTool(
                        new McpSchema.CallToolRequest(
                            "request_token",
                            Map.of("secret_id", secretId, "scope", "proxy", "ttl", "1m"))))
            .isInstanceOf(McpError.class)
            .hasMessageContaining("not a token");
      }
    }
  }

  @Test
  void mcp_clientNameOfACredentialsShape_isRecordedAsWithheld() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      String name = "sk-proj-CANARYclientname0123456789";
      HttpResponse<String> pong =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(s.server().baseUrl() + "/mcp"))
                      .header("Authorization", "Bearer " + s.rootKey())
                      .header("MCP-Client-Name", name)
                      .header("Content-Type", "application/json")
                      .header("Accept", "application/json, text/event-stream")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(pong.statusCode()).as(pong.body()).isEqualTo(200);
      String requestId = pong.headers().firstValue("X-Request-Id").orElseThrow();
      assertThat(s.auditRecords())
          .noneMatch(r -> r.contains("CANARYclientname"))
          .anyMatch(r -> r.contains(requestId) && r.contains("POST /mcp ping (client withheld)"));
    }
  }

  @Test
  void mcp_withoutBearer_is401WithTheResourceMetadataAddress() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> refused =
          http.send(
              HttpRequest.newBuilder(URI.create(s.server().baseUrl() + "/mcp"))
                  .header("Content-Type", "application/json")
                  .header("Accept", "application/json, text/event-stream")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(401);
      String challenge = refused.headers().firstValue("WWW-Authenticate").orElseThrow();
      assertThat(challenge)
          .startsWith("Bearer resource_metadata=\"")
          .contains("/.well-known/oauth-protected-resource/mcp\"");
      String metadataUrl = challenge.substring(challenge.indexOf('"') + 1, challenge.length() - 1);
      JsonNode metadata =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create(metadataUrl)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertThat(metadata.get("resource").asString()).isEqualTo(s.server().baseUrl() + "/mcp");
      assertThat(metadata.get("bearer_methods_supported").get(0).asString()).isEqualTo("header");
      String requestId = refused.headers().firstValue("X-Request-Id").orElseThrow();
      assertThat(s.auditRecords())
          .anyMatch(r -> r.contains(requestId) && r.contains("\"type\":\"auth.fail\""));
    }
  }

  @Test
  void mcp_bodyOverTheLimit_refused413OrFailedAndTheEndpointKeepsServing() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      HttpClient http = HttpClient.newHttpClient();
      String huge =
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\""
              + "x".repeat(200_000)
              + "\"}}";
      HttpRequest.Builder post =
          HttpRequest.newBuilder(URI.create(s.server().baseUrl() + "/mcp"))
              .header("Authorization", "Bearer " + s.rootKey())
              .header("Content-Type", "application/json")
              .header("Accept", "application/json, text/event-stream");

      // refused before it is read: a 413, or the connection closed under the client's upload
      int sized;
      try {
        sized =
            http.send(
                    post.copy().POST(HttpRequest.BodyPublishers.ofString(huge)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode();
      } catch (java.io.IOException closedWhileSending) {
        sized = 413;
      }
      int chunked;
      try {
        chunked =
            http.send(
                    post.copy()
                        .POST(
                            HttpRequest.BodyPublishers.ofInputStream(
                                () ->
                                    new java.io.ByteArrayInputStream(
                                        huge.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode();
      } catch (java.io.IOException closedWhileSending) {
        chunked = 400;
      }
      // a new connection: the refused ones were closed by the broker, and a pooled one may be
      // taken from the client's pool just as it closes
      HttpResponse<String> pong =
          HttpClient.newHttpClient()
              .send(
                  post.copy()
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(sized).isEqualTo(413);
      assertThat(chunked).isGreaterThanOrEqualTo(400);
      assertThat(pong.statusCode()).isEqualTo(200);
      assertThat(s.auditRecords())
          .anyMatch(r -> r.contains("\"status\":413") && r.contains("POST /mcp"));
    }
  }

  @Test
  void mcp_argumentHoldingAStoredValue_refusedNamingItAndNothingKept() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE);
        McpSyncClient mcp = client(s, s.rootKey())) {
      secret(s.root(), "api.openai.com");
      mcp.initialize();
      String refused;
      try {
        McpSchema.CallToolResult r =
            mcp.callTool(
                new McpSchema.CallToolRequest(
                    "revoke_token",
                    Map.of("token_id", "tok_abcdefabcdef", "reason", "leaked: " + CANARY)));
        assertThat(r.isError()).isTrue();
        refused = JSON.writeValueAsString(r);
      } catch (McpError e) {
        refused = e.getMessage();
      }

      assertThat(refused).contains("reason").contains("secret_value").doesNotContain(CANARY);
      assertThat(s.auditRecords()).noneMatch(r -> r.contains(CANARY));
    }
  }
}
