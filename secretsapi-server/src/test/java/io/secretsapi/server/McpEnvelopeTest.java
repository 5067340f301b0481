package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.testing.TestStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * What {@code /mcp} makes of a message before the MCP SDK reads it: a malformed one is answered
 * with a JSON-RPC error naming the member and the rule (no stack trace, nothing the caller sent),
 * recorded as refused with the status it got, and changes nothing; a message holding a stored value
 * anywhere is refused without repeating it in the answer, a record or a log line; a tool's
 * arguments are checked against its schema in the broker's code, each refusal naming the argument
 * and recorded.
 */
class McpEnvelopeTest {
  static final String PLAIN = "zebra-quartz-7f3a9c2e1b5d";

  private static HttpResponse<String> post(TestServer s, String body) throws Exception {
    return post(s, body, "application/json");
  }

  private static HttpResponse<String> post(TestServer s, String body, String type)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(s.server().baseUrl() + "/mcp"))
                .header("Authorization", "Bearer " + s.rootKey())
                .header("Content-Type", type)
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String call(String tool, String arguments) {
    return "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\""
        + tool
        + "\",\"arguments\":"
        + arguments
        + "}}";
  }

  /** A malformed message, the JSON-RPC code and member it is refused with, and its status. */
  record Bad(String body, int code, String field, int status) {}

  static final List<Bad> MALFORMED =
      List.of(
          new Bad(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                  + "\"list_grants\",\"arguments\":\"x\"}}",
              -32602,
              "params.arguments",
              200),
          new Bad(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}", -32602, "params", 200),
          new Bad(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":\"zz\"}",
              -32602,
              "params",
              200),
          new Bad(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":5}}",
              -32602,
              "params.name",
              200),
          new Bad(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                  + "\"drop_everything\"}}",
              -32602,
              "params.name",
              200),
          new Bad(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}", -32602, "params", 200),
          new Bad("{not json", -32700, "body", 400),
          new Bad("", -32700, "body", 400),
          new Bad(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"id\":2}", -32700, "body", 400),
          new Bad("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", -32600, "body", 400),
          new Bad("\"ping\"", -32600, "body", 400),
          new Bad("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}", -32600, "id", 400),
          new Bad("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}", -32600, "id", 400),
          new Bad("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", -32600, "jsonrpc", 400),
          new Bad("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", -32600, "method", 400),
          new Bad("{\"jsonrpc\":\"2.0\",\"id\":1}", -32600, "method", 400),
          new Bad(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"extra\":true}",
              -32600,
              "body",
              400),
          new Bad("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\"}", -32600, "id", 400),
          new Bad(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/list\"}",
              -32601,
              "method",
              200),
          new Bad(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"cursor\":3}}",
              -32602,
              "params.cursor",
              200));

  private static void assertNoInternals(String body) {
    assertThat(body)
        .doesNotContain("stackTrace")
        .doesNotContain("java.")
        .doesNotContain("Exception");
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void mcp_malformedMessage_answeredJsonRpcErrorRecordedDenyAndNothingChanged(TestStore store)
      throws Exception {
    try (TestServer s = TestServer.start(store)) {
      String grantsBefore = s.root().send("GET", "/tokens", null, null).body();
      for (Bad bad : MALFORMED) {
        int before = s.auditRecords().size();
        HttpResponse<String> r = post(s, bad.body());
        assertThat(r.statusCode()).as(bad.body() + " -> " + r.body()).isEqualTo(bad.status());
        assertNoInternals(r.body());
        JsonNode answer = McpEndpointTest.JSON.readTree(r.body());
        assertThat(answer.get("jsonrpc").asString()).isEqualTo("2.0");
        assertThat(answer.get("error").get("code").asInt()).as(bad.body()).isEqualTo(bad.code());
        assertThat(answer.get("error").get("data").get("field").asString())
            .as(bad.body())
            .isEqualTo(bad.field());
        assertThat(answer.get("error").get("message").asString()).contains(bad.field());
        assertThat(answer.get("error").get("data").get("audit_ref").asString()).startsWith("AU-");

        String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
        List<String> records = s.auditRecords();
        assertThat(records).as(bad.body()).hasSize(before + 1);
        assertThat(records.get(records.size() - 1))
            .contains(requestId)
            .contains("\"decision\":\"deny\"")
            .contains("\"status\":" + bad.status());
      }
      assertThat(s.root().send("GET", "/tokens", null, null).body()).isEqualTo(grantsBefore);
      assertThat(post(s, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}").statusCode())
          .isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void mcp_chunkedBodyOverTheLimitOrWrongMediaType_refusedAndRecorded(TestStore store)
      throws Exception {
    try (TestServer s = TestServer.start(store)) {
      String huge =
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\""
              + "x".repeat(70_000)
              + "\"}}";
      int chunked;
      String requestId = null;
      try {
        HttpResponse<String> r =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(s.server().baseUrl() + "/mcp"))
                        .header("Authorization", "Bearer " + s.rootKey())
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(
                            HttpRequest.BodyPublishers.ofInputStream(
                                () ->
                                    new java.io.ByteArrayInputStream(
                                        huge.getBytes(StandardCharsets.UTF_8))))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        chunked = r.statusCode();
        requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertNoInternals(r.body());
      } catch (java.io.IOException closedUnderTheUpload) {
        chunked = 413;
      }
      assertThat(chunked).isEqualTo(413);
      assertThat(s.auditRecords())
          .anyMatch(r -> r.contains("\"status\":413") && r.contains("\"decision\":\"deny\""));
      if (requestId != null) {
        String id = requestId;
        assertThat(s.auditRecords()).anyMatch(r -> r.contains(id));
      }

      HttpResponse<String> text =
          post(s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "text/plain");
      assertThat(text.statusCode()).isEqualTo(415);
      assertNoInternals(text.body());
      assertThat(McpEndpointTest.JSON.readTree(text.body()).get("error").get("code").asInt())
          .isEqualTo(-32600);
      String textId = text.headers().firstValue("X-Request-Id").orElseThrow();
      assertThat(s.auditRecords())
          .anyMatch(
              r ->
                  r.contains(textId)
                      && r.contains("\"status\":415")
                      && r.contains("\"decision\":\"deny\""));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void mcp_argumentsOutsideTheToolsSchema_refusedNamingTheArgumentAndRecorded(TestStore store)
      throws Exception {
    try (TestServer s = TestServer.start(store)) {
      Map<String, String[]> cases =
          Map.of(
              "{\"limit\":\"x\"}", new String[] {"limit", "type"},
              "{\"limit\":4294967297}", new String[] {"limit", "range"},
              "{\"limit\":-1}", new String[] {"limit", "range"},
              "{\"limit\":18446744073709551617}", new String[] {"limit", "range"},
              "{\"status\":\"bogus\"}", new String[] {"status", "enum"},
              "{\"nope\":1}", new String[] {"arguments", "unknown"});
      for (Map.Entry<String, String[]> c : cases.entrySet()) {
        HttpResponse<String> r = post(s, call("list_grants", c.getKey()));
        assertThat(r.statusCode()).as(c.getKey()).isEqualTo(200);
        assertNoInternals(r.body());
        JsonNode result = McpEndpointTest.JSON.readTree(r.body()).get("result");
        assertThat(result.get("isError").asBoolean()).as(r.body()).isTrue();
        JsonNode problem = result.get("structuredContent");
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("field").asString()).as(r.body()).isEqualTo(c.getValue()[0]);
        assertThat(problem.get("rule").asString()).as(r.body()).isEqualTo(c.getValue()[1]);
        if (c.getValue()[1].equals("range")) {
          assertThat(problem.get("detail").asString()).contains("1 and 500");
        }
        String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(s.auditRecords())
            .as(c.getKey())
            .anyMatch(
                x ->
                    x.contains(requestId)
                        && x.contains("\"decision\":\"deny\"")
                        && x.contains("\"status\":400")
                        && x.contains("tools/call list_grants"));
      }
      HttpResponse<String> fine = post(s, call("list_grants", "{\"limit\":500}"));
      assertThat(
              McpEndpointTest.JSON.readTree(fine.body()).get("result").get("isError").asBoolean())
          .as(fine.body())
          .isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void mcp_storedValueAnywhereInTheMessage_refusedAndInNoAnswerRecordOrLogLine(TestStore store)
      throws Exception {
    try (TestServer s = TestServer.start(store)) {
      McpEndpointTest.secret(s.root(), "api.openai.com");
      s.root()
          .createSecret(
              Map.of(
                  "name", "mcp-plain",
                  "provider", "openai",
                  "resource_class", "model-access",
                  "environment", "production",
                  "value", PLAIN));
      for (String canary : List.of(McpEndpointTest.CANARY, PLAIN)) {
        List<String> bodies =
            List.of(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":\""
                    + canary
                    + "\"}",
                call(
                    "revoke_token",
                    "{\"token_id\":\"tok_abcdefabcdef\",\"reason\":\"" + canary + "\"}"),
                call("list_grants", "{\"" + canary + "\":1}"),
                call("list_grants", "{\"cursor\":\"" + canary + "\"}"),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                    + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\""
                    + canary
                    + "\",\"version\":\"1\"}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"" + canary + "\",\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + canary + "\"}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\",\"params\":{\"x\":\""
                    + canary
                    + "\"}}");
        for (String body : bodies) {
          HttpResponse<String> r = post(s, body);
          // bad params of a request with an id: a JSON-RPC error (200); else a bad request
          JsonNode answer = McpEndpointTest.JSON.readTree(r.body());
          boolean request = answer.get("error").get("code").asInt() == -32602;
          assertThat(r.statusCode())
              .as(body)
              .isEqualTo(request && !answer.get("id").isNull() ? 200 : 400);
          assertThat(r.body()).as(body).doesNotContain(canary).contains("secret_value");
          assertNoInternals(r.body());
        }
      }
      assertThat(s.auditRecords())
          .noneMatch(r -> r.contains(McpEndpointTest.CANARY) || r.contains(PLAIN));
      assertThat(CapturingAppender.lines())
          .noneMatch(l -> l.contains(McpEndpointTest.CANARY) || l.contains(PLAIN));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void mcp_acceptWithoutEventStream_refused400AndRecorded(TestStore store) throws Exception {
    try (TestServer s = TestServer.start(store)) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(s.server().baseUrl() + "/mcp"))
                      .header("Authorization", "Bearer " + s.rootKey())
                      .header("Content-Type", "application/json")
                      .header("Accept", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(400);
      assertNoInternals(r.body());
      assertThat(
              McpEndpointTest.JSON
                  .readTree(r.body())
                  .get("error")
                  .get("data")
                  .get("field")
                  .asString())
          .isEqualTo("Accept");
      String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
      assertThat(s.auditRecords())
          .anyMatch(
              x ->
                  x.contains(requestId)
                      && x.contains("\"status\":400")
                      && x.contains("\"decision\":\"deny\""));
    }
  }

  @org.junit.jupiter.api.Test
  void brokerLogging_mcpSdkLoggersAreOff() throws Exception {
    // the SDK logs what a caller sent; the configuration the broker ships silences it
    try (var in = McpEndpoint.class.getResourceAsStream("/logback.xml")) {
      String config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(config).contains("<logger name=\"io.modelcontextprotocol\" level=\"OFF\"/>");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void mcp_notification_recordedAsAcceptedWith202(TestStore store) throws Exception {
    try (TestServer s = TestServer.start(store)) {
      HttpResponse<String> r =
          post(s, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      assertThat(r.statusCode()).isEqualTo(202);
      String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
      assertThat(s.auditRecords())
          .anyMatch(
              x ->
                  x.contains(requestId)
                      && x.contains("\"decision\":\"allow\"")
                      && x.contains("\"status\":202")
                      && x.contains("POST /mcp notifications/initialized"));
    }
  }
}
